//! Rendering on every core: the files of a crate are independent, and
//! formatting the biggest API's takes most of a run.
//!
//! A scoped pool over `std::thread` (no thread-pool dependency for
//! build-script users to compile); workers take the next item as they
//! finish one, so one big group does not hold the others back, and results
//! keep the items' order, so the output does not depend on scheduling.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` of every item, in order, computed on up to as many threads as cores.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            match handle.join() {
                Ok(done) => {
                    for (i, result) in done {
                        results[i] = Some(result);
                    }
                }
                // A bug in rendering: report it as if it happened here.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    results.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_whatever_the_timing() {
        let items: Vec<u64> = (0..200).collect();
        let out = super::map(&items, |&i| {
            // Uneven work, so workers finish out of order.
            std::thread::sleep(std::time::Duration::from_micros((i * 37) % 500));
            i * 2
        });
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], |_| 1).is_empty());
    }
}
