//! The start-up floor: a Rust binary that does nothing but print. `breachline validate` on one
//! small file is compared with it in docs/performance.md.

fn main() {
    println!("ok");
}
