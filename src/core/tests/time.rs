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
