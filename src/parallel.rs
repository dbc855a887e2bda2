//! Work spread over threads, with results in the order of the input whatever the threads do.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread;

/// `items.iter().map(f).collect()` on up to `jobs` threads.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    jobs: NonZeroUsize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let mut out = Vec::with_capacity(items.len());
    for_each(items, jobs, f, |r| out.push(r));
    out
}

/// Runs `f` on every item on up to `jobs` threads, and hands each result to `consume` on this
/// thread in the order of the items, as soon as it and every earlier one are done.
///
/// Items are handed out one at a time from a shared counter, so uneven items (a 26 MB file
/// among small ones) do not leave threads idle; each item costs far more than taking an index.
/// No thread starts an item more than a few dozen ahead of the one `consume` waits for, so what
/// is held between `f` and `consume` stays bounded however many items there are: a portfolio of
/// 100,000 files is not held whole. A thread that cannot be started is not needed: the others
/// take its share, or this thread does the work.
pub fn for_each<T: Sync, R: Send>(
    items: &[T],
    jobs: NonZeroUsize,
    f: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(R),
) {
    let jobs = jobs.get().min(items.len());
    if jobs <= 1 {
        items.iter().map(&f).for_each(consume);
        return;
    }
    let window = jobs * AHEAD;
    let next = AtomicUsize::new(0);
    let gate = Gate::default();
    let (tx, rx) = mpsc::channel::<(usize, thread::Result<R>)>();
    thread::scope(|scope| {
        // If `consume` panics, the threads waiting for it must not wait forever.
        let _release = Release(&gate);
        let mut started = 0;
        for _ in 0..jobs {
            let (tx, next, gate, f) = (tx.clone(), &next, &gate, &f);
            let work = move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else {
                    return;
                };
                if !gate.wait_for_room(i, window) {
                    return;
                }
                // A panic is handed to this thread with the result, so that it surfaces as the
                // panic it is instead of leaving the others waiting for its item.
                let r = panic::catch_unwind(AssertUnwindSafe(|| f(item)));
                if tx.send((i, r)).is_err() {
                    return;
                }
            };
            // Spawned threads get the stack the main thread has, for deeply nested documents.
            if thread::Builder::new()
                .stack_size(STACK)
                .spawn_scoped(scope, work)
                .is_ok()
            {
                started += 1;
            }
        }
        drop(tx);
        if started == 0 {
            items.iter().map(&f).for_each(&mut consume);
            return;
        }
        let mut done = BTreeMap::new();
        let mut wanted = 0;
        for (i, r) in &rx {
            match r {
                Ok(r) => done.insert(i, r),
                Err(p) => panic::resume_unwind(p),
            };
            while let Some(r) = done.remove(&wanted) {
                consume(r);
                wanted += 1;
                gate.consumed(wanted);
            }
        }
    });
}

/// How many items per thread may be done but not yet consumed.
const AHEAD: usize = 8;

const STACK: usize = 8 * 1024 * 1024;

/// Holds threads back until the consumer has caught up.
#[derive(Default)]
struct Gate {
    state: Mutex<GateState>,
    moved: Condvar,
}

#[derive(Default)]
struct GateState {
    consumed: usize,
    released: bool,
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until item `i` is fewer than `window` items ahead of the consumer. False when the
    /// consumer has gone, and the item is not wanted any more.
    fn wait_for_room(&self, i: usize, window: usize) -> bool {
        let mut s = self.lock();
        while !s.released && i >= s.consumed + window {
            s = self.moved.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
        !s.released
    }

    fn consumed(&self, n: usize) {
        self.lock().consumed = n;
        self.moved.notify_all();
    }

    fn release(&self) {
        self.lock().released = true;
        self.moved.notify_all();
    }
}

/// Releases the gate when the consumer leaves, normally or by a panic.
struct Release<'a>(&'a Gate);

impl Drop for Release<'_> {
    fn drop(&mut self) {
        self.0.release();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

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
