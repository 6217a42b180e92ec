//! Yielding the processor to the site: background work (an upload's
//! parsing threads, a curating command run beside a live server, the
//! search index following the database) runs at a lower scheduling
//! priority, so that on a small machine readers' pages keep their latency
//! and the background work takes what is left.

/// The nice value of [`Background::Steady`] work (0 is normal, 19 the
/// lowest), and of [`Background::Bulk`] work should the kernel refuse it
/// the idle class.
pub const BACKGROUND_NICE: i32 = 10;

/// How far background work steps back from the pages being served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Background {
    /// Nice 10: a small share of the processor even while pages keep
    /// every core busy, for work that must keep up (the search follower
    /// brings other nodes' changes in within seconds).
    Steady,
    /// Linux's idle scheduling class: only the processor time the pages
    /// leave. A waking request takes the core from it at once, and the
    /// kernel places a waking request on a core running only such work as
    /// on a free one; at nice 10 a takedown still doubled the pages' p99
    /// (README, "Taking out"). For bulk work that may take longer under
    /// load: imports, takedowns, undoing an import. Should it hold the
    /// database's write lock while starved, a page waiting for that lock
    /// sleeps and so leaves it the processor.
    Bulk,
}

/// Lowers the calling thread; threads it starts afterwards inherit it.
pub fn lower_this_thread(how: Background) {
    #[cfg(target_os = "linux")]
    lower_thread(current_thread_id(), how);
    #[cfg(not(target_os = "linux"))]
    let _ = how;
}

/// Lowers every thread of this process. Linux keeps a priority per
/// thread and a new thread inherits its creator's, so once every running
/// thread is lowered, the ones started later (the database's worker
/// threads) are too.
pub fn lower_this_process(how: Background) {
    #[cfg(target_os = "linux")]
    for thread in this_process_threads() {
        lower_thread(thread, how);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = how;
}

/// Runs `work` on a thread of its own, lowered, with its own runtime (a
/// lowered worker of the server's runtime would slow the pages it also
/// serves). Should no thread or runtime be had, `work` runs on the
/// server's runtime as any task, at normal priority.
pub fn spawn_lowered<F>(name: &str, how: Background, work: F)
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
            lower_this_thread(how);
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
fn lower_thread(thread: libc::id_t, how: Background) {
    // SAFETY: setpriority and sched_setscheduler on one of this process's
    // own thread ids, the latter with a parameter that lives across the call.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, thread, BACKGROUND_NICE);
        if how == Background::Bulk {
            let unused = libc::sched_param { sched_priority: 0 };
            libc::sched_setscheduler(thread as libc::pid_t, libc::SCHED_IDLE, &unused);
        }
    }
}

/// How lowered one of this process's threads is: `None` for not at all.
#[cfg(all(test, target_os = "linux"))]
pub(crate) fn lowered(thread: libc::id_t) -> Option<Background> {
    // SAFETY: sched_getscheduler and getpriority on a thread id; a thread
    // that has ended gives an error, read as not lowered.
    let (class, nice) = unsafe {
        (
            libc::sched_getscheduler(thread as libc::pid_t),
            libc::getpriority(libc::PRIO_PROCESS, thread),
        )
    };
    if class == libc::SCHED_IDLE {
        Some(Background::Bulk)
    } else {
        (nice == BACKGROUND_NICE).then_some(Background::Steady)
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn the_process_threads_are_listed_and_one_is_lowered_alone() {
        for how in [Background::Steady, Background::Bulk] {
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

            lower_thread(other_id, how);
            assert_eq!(lowered(other_id), Some(how));
            assert_eq!(lowered(current_thread_id()), None, "only that thread");
            stop.send(()).unwrap();
            other.join().unwrap();
        }
    }

    #[tokio::test]
    async fn lowered_work_runs_on_a_lowered_thread_of_its_own() {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let caller = current_thread_id();
        spawn_lowered("test-work", Background::Bulk, async move {
            tokio::task::yield_now().await;
            let me = current_thread_id();
            tx.send((me, lowered(me))).unwrap();
        });
        let (thread, how) = rx.await.unwrap();
        assert_ne!(thread, caller);
        assert_eq!(how, Some(Background::Bulk));
    }

    #[test]
    fn a_thread_started_by_a_lowered_thread_inherits_it() {
        for how in [Background::Steady, Background::Bulk] {
            let child = std::thread::spawn(move || {
                lower_this_thread(how);
                std::thread::spawn(|| lowered(current_thread_id()))
                    .join()
                    .unwrap()
            })
            .join()
            .unwrap();
            assert_eq!(child, Some(how));
        }
    }
}
