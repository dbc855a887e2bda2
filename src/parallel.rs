//! Work spread over threads, with results in the order of the input whatever the threads do.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

/// Runs `f` on every item on up to `jobs` threads, this one included, and hands each result to
/// `consume` in the order of the items, as soon as it and every earlier one are done.
///
/// Items are handed out one at a time from a shared counter, so uneven items (a 26 MB file
/// among small ones) do not leave threads idle; each item costs far more than taking an index.
/// The thread that finishes the item next in line calls `consume`, for it and for any later
/// ones already done, so no thread waits to be woken per item (a consumer thread woken for
/// each of 10,000 small files cost more than their output). No thread starts an item more than
/// a few dozen ahead of the next one to consume, so what is held between `f` and `consume`
/// stays bounded however many items there are: a portfolio of 100,000 files is not held
/// whole. A thread that cannot be started is not needed: the others take its share.
pub fn for_each<T: Sync, R: Send>(
    items: &[T],
    jobs: NonZeroUsize,
    f: impl Fn(&T) -> R + Sync,
    consume: impl FnMut(R) + Send,
) {
    let jobs = jobs.get().min(items.len());
    if jobs <= 1 {
        items.iter().map(&f).for_each(consume);
        return;
    }
    let window = jobs * AHEAD;
    let next = AtomicUsize::new(0);
    let shared = Mutex::new(Shared {
        consume,
        done: BTreeMap::new(),
        wanted: 0,
        waiting: 0,
        panic: None,
    });
    let room = Condvar::new();
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(i) else {
            return;
        };
        {
            let mut s = lock(&shared);
            while s.panic.is_none() && i >= s.wanted + window {
                s.waiting += 1;
                s = room.wait(s).unwrap_or_else(PoisonError::into_inner);
                s.waiting -= 1;
            }
            if s.panic.is_some() {
                return;
            }
        }
        // A panic is caught and handed to the calling thread, so that it surfaces as the panic
        // it is instead of leaving the other threads waiting for its item.
        let made = panic::catch_unwind(AssertUnwindSafe(|| f(item)));
        let mut s = lock(&shared);
        let consumed = made.and_then(|r| {
            let Shared {
                consume,
                done,
                wanted,
                ..
            } = &mut *s;
            done.insert(i, r);
            panic::catch_unwind(AssertUnwindSafe(|| {
                while let Some(r) = done.remove(wanted) {
                    consume(r);
                    *wanted += 1;
                }
            }))
        });
        if let Err(p) = consumed {
            s.panic.get_or_insert(p);
        }
        // Most items find nobody waiting: waking nobody must not cost a system call.
        if s.waiting > 0 {
            room.notify_all();
        }
        if s.panic.is_some() {
            return;
        }
    };
    thread::scope(|scope| {
        // Under a limit of address space, stacks could take all of it and leave the work none:
        // hold some back while spawning, and spawn no more threads once one does not fit.
        let mut headroom: Vec<u8> = Vec::new();
        if headroom.try_reserve_exact(HEADROOM).is_ok() {
            for _ in 1..jobs {
                // Spawned threads get the stack the main thread has, for deeply nested documents.
                let spawned = thread::Builder::new()
                    .stack_size(STACK)
                    .spawn_scoped(scope, work);
                if spawned.is_err() {
                    break;
                }
            }
        }
        drop(headroom);
        work();
    });
    let s = shared.into_inner().unwrap_or_else(PoisonError::into_inner);
    if let Some(p) = s.panic {
        panic::resume_unwind(p);
    }
}

/// How many items per thread may be done but not yet consumed.
const AHEAD: usize = 8;

const STACK: usize = 8 * 1024 * 1024;

/// Address space kept free for the work itself when threads are started. Every thread
/// started works in it at once: 32 MiB left a portfolio of 40 files, read by as many threads as
/// fit in 200 MiB, short of room now and then (an allocation failed about one run in eight).
const HEADROOM: usize = 64 * 1024 * 1024;

/// What the threads share: results done out of turn, and the consumer.
struct Shared<R, C> {
    consume: C,
    done: BTreeMap<usize, R>,
    /// The next item to consume.
    wanted: usize,
    /// Threads waiting for room.
    waiting: usize,
    /// The first panic, in `f` or in `consume`; every thread stops at its next item.
    panic: Option<Box<dyn std::any::Any + Send>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn map<T: Sync, R: Send>(
        items: &[T],
        jobs: NonZeroUsize,
        f: impl Fn(&T) -> R + Sync,
    ) -> Vec<R> {
        let mut out = Vec::new();
        for_each(items, jobs, f, |r| out.push(r));
        out
    }

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        for jobs in [1, 2, 3, 8, 2000] {
            let jobs = NonZeroUsize::new(jobs).unwrap();
            // Uneven work, so that threads finish out of order.
            let out = map(&items, jobs, |&n| {
                std::hint::black_box((0..n % 7 * 1000).sum::<u64>());
                n * 2
            });
            assert_eq!(out, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        }
        assert_eq!(
            map(&[] as &[u8], NonZeroUsize::MIN, |&b| b),
            Vec::<u8>::new()
        );
    }

    #[test]
    fn threads_stay_a_bounded_distance_ahead_of_a_slow_consumer() {
        let items: Vec<usize> = (0..2000).collect();
        let jobs = NonZeroUsize::new(4).unwrap();
        let started = AtomicUsize::new(0);
        let mut seen = Vec::new();
        for_each(
            &items,
            jobs,
            |&i| {
                started.fetch_max(i + 1, Ordering::SeqCst);
                i
            },
            |i| {
                // Everything started so far lies within the window past this item.
                assert!(started.load(Ordering::SeqCst) <= i + 1 + jobs.get() * AHEAD);
                std::thread::yield_now();
                seen.push(i);
            },
        );
        assert_eq!(seen, items);
    }

    #[test]
    fn a_panic_in_a_thread_reaches_the_caller_instead_of_hanging() {
        let items: Vec<usize> = (0..500).collect();
        let caught = panic::catch_unwind(|| {
            map(&items, NonZeroUsize::new(3).unwrap(), |&i| {
                assert!(i != 7, "item seven");
                i
            })
        });
        let payload = caught.unwrap_err();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"item seven"));
    }

    #[test]
    fn a_panic_in_the_consumer_releases_the_threads() {
        let items: Vec<usize> = (0..500).collect();
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            for_each(
                &items,
                NonZeroUsize::new(3).unwrap(),
                |&i| i,
                |i| {
                    assert!(i != 3, "consumer");
                },
            )
        }));
        assert!(caught.is_err());
    }
}
