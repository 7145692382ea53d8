//! Arbitrary bytes into every parser of outside bytes that runs before the application
//! knows who is asking: the listener's request-head reader, and the CSV and XLSX readers of
//! uploads. 100,000 cases each; none may panic, and none may allocate more than a bound.
//!
//! Allocations are counted per thread by this binary's allocator, so the bound is that of
//! one case, whatever else runs.

use emall_server::tabular::{self, hostile, Limits};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn add(n: usize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + n;
        live.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

fn sub(n: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(n)));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        sub(layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size);
        sub(layout.size());
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most one case may have allocated at once beyond what was live when it began.
fn peak_of(case: impl FnOnce()) -> usize {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    case();
    PEAK.with(Cell::get) - base
}

const CASES: u32 = 100_000;
/// Reading a spreadsheet under the import limits never needs more than this at once
/// (the 32 MB inflate budget is streamed, not held).
const MAX_CASE_BYTES: usize = 48 * 1024 * 1024;

/// Cases run, to prove each target got its 100,000.
static RUN: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

fn counted() {
    RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Bytes as an attacker would send them: random, or text from the characters that matter
/// to the parser, mixed.
fn hostile_text(alphabet: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        proptest::collection::vec(proptest::sample::select(alphabet), 0..200)
            .prop_map(|parts| parts.concat().into_bytes()),
    ]
}

#[test]
fn parsers_of_outside_bytes_survive_anything() {
    // The listener's head reader.
    const HEAD: &[&str] = &[
        "GET ",
        "HEAD ",
        "POST ",
        "/",
        "/product/1",
        "?",
        " HTTP/1.1",
        " HTTP/1.0",
        "\r\n",
        "\n",
        "Host: x",
        "Content-Length: 5",
        "Transfer-Encoding: chunked",
        "Connection: close",
        "Accept-Encoding: br, gzip",
        "If-None-Match: \"a\"",
        ":",
        " ",
        "\t",
        "\0",
        "\u{ff}",
        "长",
        "Upgrade: h2c",
        "Expect: 100-continue",
    ];
    runner()
        .run(&hostile_text(HEAD), |bytes| {
            counted();
            let peak = peak_of(|| {
                if let Ok(Some(len)) = emall_server::listener::read_head(&bytes) {
                    assert!(len <= bytes.len());
                }
            });
            prop_assert!(peak < 64 * 1024, "{peak} bytes for a head");
            Ok(())
        })
        .unwrap();

    // The image header reader of uploads.
    let image = (
        proptest::sample::select(vec![
            b"\x89PNG\r\n\x1a\n".to_vec(),
            vec![0xFF, 0xD8, 0xFF],
            b"RIFF\0\0\0\0WEBPVP8X".to_vec(),
        ]),
        proptest::collection::vec(any::<u8>(), 0..256),
    );
    runner()
        .run(&image, |(magic, rest)| {
            counted();
            let bytes = [magic, rest].concat();
            let peak = peak_of(|| {
                if let Some(kind) = emall_server::files::FileType::sniff(&bytes) {
                    let _ = kind.dimensions(&bytes);
                }
            });
            prop_assert!(peak < 64 * 1024, "{peak} bytes for an image header");
            Ok(())
        })
        .unwrap();

    // The CSV reader.
    const CSV: &[&str] = &[
        ",",
        "\"",
        "\"\"",
        "\n",
        "\r\n",
        "\r",
        "'",
        "=",
        "-",
        "@",
        "a",
        "12.50",
        "长",
        "上海市",
        "\u{feff}",
        ";",
        "\t",
        " ",
        "\0",
        "\u{fffd}",
    ];
    runner()
        .run(&hostile_text(CSV), |bytes| {
            counted();
            let peak = peak_of(|| {
                let _ = tabular::read(&bytes, Limits::IMPORT);
            });
            prop_assert!(
                peak < MAX_CASE_BYTES,
                "{peak} bytes for {} of CSV",
                bytes.len()
            );
            Ok(())
        })
        .unwrap();

    // The XLSX reader: real workbooks (the export's own, and hostile ones), mutated.
    let seeds: Vec<Vec<u8>> = vec![
        tabular::write_xlsx(&[
            vec!["商品编号".into(), "单价（元）".into(), "供货城市".into()],
            vec!["12".into(), "25.80".into(), "上海市".into()],
        ])
        .unwrap(),
        hostile::far_corner(),
        hostile::sheet_of(
            r#"<c r="A1" t="inlineStr"><is><t>A4 &amp; 纸</t></is></c><c r="B1"><v>1.5</v></c>"#,
        ),
        hostile::workbook(
            hostile::Part::Repeat {
                head: format!("{}<row>", hostile::SHEET_HEAD),
                unit: r#"<c r="A1"><v>1</v></c>"#.into(),
                mib: 0,
                tail: format!("</row>{}", hostile::SHEET_TAIL),
            },
            hostile::Part::Bytes(b"<sst/>".to_vec()),
        ),
    ];
    let mutated = (
        0..seeds.len(),
        proptest::collection::vec((any::<u32>(), any::<u8>()), 0..24),
        proptest::option::of(any::<u32>()),
        proptest::collection::vec(any::<u8>(), 0..64),
    );
    runner()
        .run(&mutated, |(seed, flips, cut, splice)| {
            let mut bytes = seeds[seed].clone();
            for (at, byte) in flips {
                let i = at as usize % bytes.len();
                bytes[i] = byte;
            }
            if let Some(cut) = cut {
                let at = cut as usize % (bytes.len() + 1);
                if cut % 2 == 0 {
                    bytes.truncate(at);
                } else {
                    bytes.splice(at..at, splice);
                }
            }
            counted();
            let peak = peak_of(|| {
                let _ = tabular::read(&bytes, Limits::IMPORT);
            });
            prop_assert!(
                peak < MAX_CASE_BYTES,
                "{peak} bytes for {} of XLSX",
                bytes.len()
            );
            Ok(())
        })
        .unwrap();
    assert!(
        RUN.load(std::sync::atomic::Ordering::Relaxed) >= 4 * CASES,
        "every target ran its cases"
    );
}
