//! The `emall` command: serve, migrate, seed, reindex.

fn main() -> std::process::ExitCode {
    emall_server::cli::main()
}
