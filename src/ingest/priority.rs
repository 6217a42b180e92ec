//! Running the import's reading and parsing threads at a lower OS
//! priority, so a server keeps answering readers during an upload's import.

/// Lowers the calling thread's scheduling priority (nice 10) when asked.
pub fn lower_priority(background: bool) {
    #[cfg(target_os = "linux")]
    if background {
        // SAFETY: `setpriority` on the calling thread's own id; no memory is shared.
        unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::setpriority(libc::PRIO_PROCESS, tid, 10);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = background;
}
