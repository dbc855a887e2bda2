//! Work spread over threads, with results in the order of the input whatever the threads do.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// `items.iter().map(f).collect()` on up to `jobs` threads, this one included.
///
/// Items are handed out one at a time from a shared counter, so uneven items (a 26 MB file
/// among small ones) do not leave threads idle; each item costs far more than taking an index.
/// A thread that cannot be started is not needed: the others take its share.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    jobs: NonZeroUsize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let jobs = jobs.get().min(items.len());
    if jobs <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut done: Vec<(usize, R)> = thread::scope(|scope| {
        // Spawned threads get the stack the main thread has, for deeply nested documents.
        let helpers: Vec<_> = (1..jobs)
            .filter_map(|_| {
                thread::Builder::new()
                    .stack_size(STACK)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        let mut done = work();
        for helper in helpers {
            match helper.join() {
                Ok(theirs) => done.extend(theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

const STACK: usize = 8 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

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
}
