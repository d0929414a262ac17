//! The two shapes of issue 13's quadratic inputs that `quadratic_inputs.rs` does not cover:
//! balanced `<div>` nesting (16,000 levels took 68 s) and people who share only a first name ("A
//! shared first name alone does the same" as a shared surname: every mention compared with every
//! person). Ratios between sizes, never wall-clock limits.

use super::*;

#[test]
fn parsing_many_people_who_share_only_a_first_name_takes_time_linear_in_their_number() {
    let text = |n: usize| -> String {
        (1..=n)
            .map(|i| {
                let w = letters(i);
                format!("President Ahmed Qa{w} met Minister Omar Zu{w} in Geneva on Monday. ")
            })
            .collect()
    };
    let (small, large) = (text(2_000), text(8_000));
    let meta = ArticleMeta::default();
    let parsed = parley::parse::parse(&small, &meta);
    // Each sentence names two people of their own: the shared first name joins no one.
    assert_eq!(parsed.participants.len(), 4_000);
    let ratio = fastest(|| drop(parley::parse::parse(&large, &meta)))
        / fastest(|| drop(parley::parse::parse(&small, &meta)));
    // Alone on the machine 4x takes 4.7x as long; with the other tests running, up to 9x. Comparing
    // every mention with every namesake took 16x.
    assert!(ratio < 11.0, "4x the people took {ratio:.1}x as long");
}

#[test]
fn importing_a_page_of_balanced_nested_divs_takes_time_linear_in_its_depth() {
    let sb = Sandbox::new();
    let page = |levels: usize| {
        format!(
            "<html><body>{}<p>Foreign Minister Ana Ruiz met envoy Li Wen in Lima on Monday to discuss trade and fisheries.</p>{}</body></html>",
            "<div>".repeat(levels),
            "</div>".repeat(levels)
        )
    };
    fs::write(sb.path("small.html"), page(4_000)).unwrap();
    fs::write(sb.path("large.html"), page(16_000)).unwrap();
    let time = |name: &str| {
        fastest(|| {
            let out = sb.run(&["parse", name]);
            assert!(out.status.success(), "{}", stderr(&out));
            assert!(stdout(&out).contains("Ana Ruiz"), "{}", stdout(&out));
        })
    };
    let ratio = time("large.html") / time("small.html");
    // Before: 16,000 levels took 68 s; now the process start dominates both sizes.
    assert!(ratio < 8.0, "4x the depth took {ratio:.1}x as long");
    let out = sb.import(&[&sb.path("large.html")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(sb.count("articles"), 1);
}
