//! Inputs whose cost must grow with their size, not its square (issue 13, point 2). Ratios between
//! sizes, never wall-clock limits: the machine may be busy. The growth of every family at 1x, 4x and
//! 16x is in the benchmark (`PARLEY_BENCH_ONLY=growth cargo bench --bench archive`).

use super::*;

#[test]
fn parsing_many_people_who_share_a_name_word_takes_time_linear_in_their_number() {
    // 1,000 / 4,000 / 16,000 sentences took 0.03 / 0.33 / 6.5 s: every mention was compared with
    // every person sharing "Moreau" (now 0.01 / 0.05 / 0.31 s).
    let text = |n: usize| -> String {
        (1..=n)
            .map(|i| {
                let (a, b) = (letters(i), letters(i));
                format!("President Ax{a} Moreau met President By{b} Karimov in Geneva on Monday. ")
            })
            .collect()
    };
    let (small, large) = (text(1_000), text(4_000));
    let meta = ArticleMeta::default();
    let ratio = fastest(|| drop(parley::parse::parse(&large, &meta)))
        / fastest(|| drop(parley::parse::parse(&small, &meta)));
    assert!(ratio < 8.0, "4x the people took {ratio:.1}x as long");
}

#[test]
fn importing_a_deeply_nested_page_takes_time_linear_in_its_depth() {
    let sb = Sandbox::new();
    let page = |levels: usize| {
        format!(
            "<html><body>{}<p>Foreign Minister Ana Ruiz met envoy Li Wen in Lima on Monday to discuss trade and fisheries.</p></body></html>",
            "<div><p><span>".repeat(levels)
        )
    };
    fs::write(sb.path("small.html"), page(2_000)).unwrap();
    fs::write(sb.path("large.html"), page(8_000)).unwrap();
    let time = |name: &str| {
        fastest(|| {
            let out = sb.run(&["parse", name]);
            assert!(out.status.success(), "{}", stderr(&out));
        })
    };
    let ratio = time("large.html") / time("small.html");
    // Before: 2.6 s and 40 s (x15); the process start dominates both now.
    assert!(ratio < 8.0, "4x the depth took {ratio:.1}x as long");
}
