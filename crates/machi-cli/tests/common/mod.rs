//! Helpers shared by the CLI's integration tests.

/// The crate's folder, read when the test runs: a test binary reused from a build of another checkout
/// (a shared target folder) must not read that checkout's files.
pub fn manifest_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| env!("CARGO_MANIFEST_DIR").into(), Into::into)
}
