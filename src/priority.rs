//! Yielding the processor to the site: background work (an upload's
//! parsing threads, a curating command run beside a live server) runs at a
//! lower scheduling priority, so that on a small machine readers' pages
//! keep their latency and the background work takes what is left.

/// The nice value background work runs at (0 is normal, 19 the lowest).
pub const BACKGROUND_NICE: i32 = 10;

/// Lowers the calling thread; threads it starts afterwards inherit it.
pub fn lower_this_thread() {
    #[cfg(target_os = "linux")]
    lower_thread(current_thread_id());
}

/// Lowers every thread of this process. Linux keeps a nice value per
/// thread and a new thread inherits its creator's, so once every running
/// thread is lowered, the ones started later (the database's worker
/// threads) are too.
pub fn lower_this_process() {
    #[cfg(target_os = "linux")]
    for thread in this_process_threads() {
        lower_thread(thread);
    }
}

/// Runs `work` on a thread of its own, lowered, with its own runtime (a
/// lowered worker of the server's runtime would slow the pages it also
/// serves). Should no thread or runtime be had, `work` runs on the
/// server's runtime as any task, at normal priority.
pub fn spawn_lowered<F>(name: &str, work: F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => return run_normally(work, &err),
    };
    let (hand, handed) = std::sync::mpsc::channel::<F>();
    let started = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            lower_this_thread();
            if let Ok(work) = handed.recv() {
                runtime.block_on(work);
            }
        });
    match started {
        Ok(_) => {
            // The thread waits for it, so the receiver is there.
            let _ = hand.send(work);
        }
        Err(err) => run_normally(work, &err),
    }
}

fn run_normally<F>(work: F, err: &std::io::Error)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    tracing::warn!(%err, "no thread of its own for background work: it runs at normal priority");
    tokio::spawn(work);
}

#[cfg(target_os = "linux")]
fn current_thread_id() -> libc::id_t {
    // SAFETY: gettid has no arguments and cannot fail.
    unsafe { libc::syscall(libc::SYS_gettid) as libc::id_t }
}

#[cfg(target_os = "linux")]
fn this_process_threads() -> Vec<libc::id_t> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return vec![current_thread_id()];
    };
    tasks
        .filter_map(|task| task.ok()?.file_name().to_str()?.parse().ok())
        .collect()
}

/// A failure is ignored: the work still runs, only at normal priority.
#[cfg(target_os = "linux")]
fn lower_thread(thread: libc::id_t) {
    // SAFETY: setpriority on one of this process's own thread ids; no memory is shared.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, thread, BACKGROUND_NICE);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn nice_of(thread: libc::id_t) -> i32 {
        // SAFETY: getpriority on a thread id of this process.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, thread) }
    }

    #[test]
    fn the_process_threads_are_listed_and_one_is_lowered_alone() {
        let (tx, rx) = std::sync::mpsc::channel();
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let other = std::thread::spawn(move || {
            tx.send(current_thread_id()).unwrap();
            stopped.recv().unwrap();
        });
        let other_id = rx.recv().unwrap();
        let threads = this_process_threads();
        assert!(threads.contains(&current_thread_id()), "{threads:?}");
        assert!(threads.contains(&other_id), "{threads:?}");

        let before = nice_of(current_thread_id());
        lower_thread(other_id);
        assert_eq!(nice_of(other_id), BACKGROUND_NICE);
        assert_eq!(nice_of(current_thread_id()), before, "only that thread");
        stop.send(()).unwrap();
        other.join().unwrap();
    }

    #[tokio::test]
    async fn lowered_work_runs_on_a_lowered_thread_of_its_own() {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let caller = current_thread_id();
        spawn_lowered("test-work", async move {
            tokio::task::yield_now().await;
            let me = current_thread_id();
            tx.send((me, nice_of(me))).unwrap();
        });
        let (thread, nice) = rx.await.unwrap();
        assert_ne!(thread, caller);
        assert_eq!(nice, BACKGROUND_NICE);
    }

    #[test]
    fn a_thread_started_by_a_lowered_thread_inherits_it() {
        let child_nice = std::thread::spawn(|| {
            lower_this_thread();
            std::thread::spawn(|| nice_of(current_thread_id()))
                .join()
                .unwrap()
        })
        .join()
        .unwrap();
        assert_eq!(child_nice, BACKGROUND_NICE);
    }
}
