//! Throughput benchmark for the budget reader (not a timed test): builds a ~50 MB synthetic document
//! from the seed layouts (北区-style tables and 南区-style inline rows, varied names and numbers), reads
//! it once, and prints MB/s and peak memory (VmHWM); with `BENCH_DIGEST=1` also a digest of the ledger. Run with `cargo run --release -p machi-read
//! --example bench_read [MB]`.

use std::fmt::Write as _;
use std::time::Instant;

use machi_read::{budget, ReadOptions, SourceText};

// The allocator the `machi` binary uses, so the figures are the ones an import sees.
#[global_allocator]
static GLOBAL: machi_alloc::Allocator = machi_alloc::Allocator;

fn group(n: u64) -> String {
    machi_domain::money::group_thousands(n)
}

/// One ward-sized block with `rows` rows whose totals reconcile.
fn block(out: &mut String, k: u64, rows: u64) {
    let circled = ['①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩'];
    let mut sums = [0u64; 4];
    let _ = writeln!(out, "令和２年度 北区まちづくりの取組 第{k}版\n\n№ 事業名\n");
    let _ = writeln!(out, "地域づくり{k} 予算額 9月補正後 2月補正後 決算額\n");
    for r in 0..rows {
        let v = [(k * 37 + r * 101) % 5000 + 100, (k * 13 + r * 7) % 3000, (k * 11 + r * 5) % 2500, (k * 3 + r) % 2000];
        for (s, x) in sums.iter_mut().zip(v) {
            *s += x;
        }
        let _ = writeln!(out, "{} 事業{k}の{r}番プロジェクト", circled[(r % 10) as usize]);
        let _ = writeln!(out, "地域の皆さんと協力して第{k}地区の交流と見守りを進めるための活動を行う。\n");
        let _ = writeln!(out, "{} {} {} {}\n", group(v[0]), group(v[1]), group(v[2]), group(v[3]));
    }
    let _ = writeln!(
        out,
        "まちづくり推進経費　　合計 {} {} {} {}\n",
        group(sums[0]),
        group(sums[1]),
        group(sums[2]),
        group(sums[3])
    );
    let _ = writeln!(out, "地域力活性化事業{k} 300 200 150 100");
    let _ = writeln!(out, "①【幸田】花のまちづくり事業{k}　花壇を整備する。 100 50 50 40");
    let _ = writeln!(out, "②【城南】交流事業{k}　交流会を開く。 200 150 100 60\n");
    // The inline rows are the second fund's, as in 南区: without its total they would fall under the
    // next block's first fund, which then would not reconcile.
    let _ = writeln!(out, "復興支援自治推進経費　　合計 300 200 150 100\n");
}

fn peak_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// CPU seconds (user, system) this process has used, from `/proc/self/stat` (in clock ticks of 1/100 s, as
/// on Linux). Wall time on a shared machine swings with its neighbours; user CPU time is the steadier figure
/// to compare a change by, and system time is mostly the kernel zeroing the memory the reader touches.
fn cpu_secs() -> Option<(f64, f64)> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = &s[s.rfind(')')? + 1..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    Some((f.get(11)?.parse::<f64>().ok()? / 100.0, f.get(12)?.parse::<f64>().ok()? / 100.0))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The allocator is tuned as `machi import` tunes it: otherwise system time measures page faults,
    // the allocator handing pages back and forth and the kernel mapping them 4 KiB at a time.
    machi_alloc::tune_for_one_shot_command();
    let target_mb: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    // Room for the last block too: a buffer grown past its capacity would be copied, and the copy would
    // count in the peak memory printed as the reader's.
    let mut text = String::with_capacity((target_mb << 20) + (64 << 10));
    let mut k = 0;
    while text.len() < target_mb << 20 {
        block(&mut text, k, 8);
        k += 1;
    }
    let bytes = text.into_bytes();
    let mb = bytes.len() as f64 / (1024.0 * 1024.0);
    let cpu0 = cpu_secs();
    let t = Instant::now();
    let src = SourceText::decode_owned("bench.txt", bytes)?;
    let decoded = t.elapsed().as_secs_f64();
    let l = budget::read(&src, &ReadOptions::default())?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{mb:.1} MB, {} lines, {} projects, {} amounts, {} diagnostics in {secs:.2} s (decode {decoded:.2} s): {:.1} MB/s; peak memory {} MB",
        src.lines.len(),
        l.projects.len(),
        l.amounts.len(),
        l.diagnostics.len(),
        mb / secs,
        peak_kb().map_or("?".into(), |kb| (kb / 1024).to_string())
    );
    if let (Some((u0, s0)), Some((u1, s1))) = (cpu0, cpu_secs()) {
        println!(
            "CPU: user {:.2} s ({:.1} MB/s of user time), system {:.2} s",
            u1 - u0,
            mb / (u1 - u0).max(0.01),
            s1 - s0
        );
    }
    // A speed change must not change a single output: `BENCH_DIGEST=1` prints a digest of the whole
    // ledger to compare before and after.
    if std::env::var_os("BENCH_DIGEST").is_some() {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("{l:?}").as_bytes());
        println!("ledger digest {}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>());
    }
    Ok(())
}
