//! Puts the message catalogue (`messages/*.msg`, one area per file, in name order) into the
//! `messages!` table that `src/i18n.rs` includes.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new("messages");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("model/messages")
        .map(|e| e.expect("a catalogue file").path())
        .filter(|p| p.extension().is_some_and(|e| e == "msg"))
        .collect();
    files.sort();
    let mut table = String::from("messages! {\n");
    for file in files {
        println!("cargo:rerun-if-changed={}", file.display());
        let text = std::fs::read_to_string(&file).expect("a catalogue file");
        let _ = writeln!(table, "// {}", file.display());
        table.push_str(&text);
        if !text.ends_with('\n') {
            table.push('\n');
        }
    }
    table.push_str("}\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("messages.rs");
    std::fs::write(out, table).expect("messages.rs");
}
