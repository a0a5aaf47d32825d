//! `cargo xtask`: project automation. No tasks yet; later issues add `bench`, `fuzz`, `vectors`.

fn main() {
    eprintln!("cargo xtask: no tasks yet (planned: bench, fuzz, vectors, peers)");
}
