//! `core::time`: the Graph's times as Unix seconds.

use crate::core::time::unix_seconds;

#[test]
fn reads_the_graphs_and_javascripts_forms() {
    assert_eq!(unix_seconds("1970-01-01T00:00:00+0000"), Some(0));
    assert_eq!(unix_seconds("2026-01-31T09:15:00+0000"), Some(1_769_850_900));
    assert_eq!(unix_seconds("2026-01-31T09:15:00.123Z"), Some(1_769_850_900));
    assert_eq!(unix_seconds("2026-01-31T10:15:00+01:00"), Some(1_769_850_900));
    assert_eq!(unix_seconds("2026-01-31T04:15:00-0500"), Some(1_769_850_900));
    assert_eq!(unix_seconds("2026-01-31"), Some(1_769_817_600));
    assert_eq!(unix_seconds("2024-02-29T00:00:00Z"), Some(1_709_164_800), "leap day");
}

#[test]
fn refuses_what_is_not_a_time() {
    for text in [
        "",
        "yesterday",
        "2026-13-01",
        "2026-01-31T25:00:00Z",
        "2026-01-31T09:15:00",
        "2026-01-31T09:15:00+1",
        "٢٠٢٦-01-31",
    ] {
        assert_eq!(unix_seconds(text), None, "{text:?}");
    }
}

#[test]
fn graph_time_writes_the_graphs_form() {
    use crate::core::time::graph_time;
    assert_eq!(graph_time(0), "1970-01-01T00:00:00+0000");
    assert_eq!(graph_time(1_769_850_900), "2026-01-31T09:15:00+0000");
    assert_eq!(graph_time(1_709_164_800 - 1), "2024-02-28T23:59:59+0000");
    // A year before 0 (only ever from an odd input) keeps its sign.
    assert_eq!(graph_time(-62_198_755_200), "-0001-01-01T00:00:00+0000");
    for seconds in [-86_401, -1, 1, 59, 3_599, 86_399, 951_782_400, 4_102_444_800] {
        assert_eq!(unix_seconds(&graph_time(seconds)), Some(seconds), "{seconds}");
    }
}
