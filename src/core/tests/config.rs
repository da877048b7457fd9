//! `core::config`.

use crate::core::config::*;
#[allow(unused_imports)]
use crate::*;

#[test]
fn defaults_point_at_the_graph() {
    let config = ClientConfig::new("EAAG-test-page-token").unwrap();
    assert_eq!(config.base_url, "https://graph.facebook.com");
    assert_eq!(config.api_version, DEFAULT_API_VERSION);
    assert_eq!(config.appsecret_proof, None);
}

#[test]
fn options_are_checked() {
    let config = || ClientConfig::new("EAAG-test-page-token").unwrap();
    assert_eq!(config().base_url("http://127.0.0.1:8787/").unwrap().base_url, "http://127.0.0.1:8787");
    assert_eq!(config().base_url("https://proxy.example/graph").unwrap().base_url, "https://proxy.example/graph");
    for bad in [
        "ftp://x",
        "graph.facebook.com",
        "https://",
        "https://u:p@host",
        "https://h/?a=b",
        "https://h/#x",
        "https://h /",
    ] {
        assert!(config().base_url(bad).is_err(), "{bad}");
    }
    assert!(config().api_version("v21.0").is_ok());
    for bad in ["21.0", "v21", "v21.x", "v21.0/../x"] {
        assert!(config().api_version(bad).is_err(), "{bad}");
    }
    assert!(config().timeout_ms(0.0).is_err());
    assert!(config().timeout_ms(1.5).is_err());
    assert!(config().max_retries(11.0).is_err());
    assert!(config().calls_per_second(-1.0).is_err());
    assert!(config().calls_per_second(f64::NAN).is_err());
    assert!(config().app_secret_proof("abc").is_err());
}

#[test]
fn app_secret_gives_a_proof_and_is_a_secret() {
    let config = ClientConfig::new("EAAG-test-page-token").unwrap().app_secret("shh-app-secret").unwrap();
    assert_eq!(config.appsecret_proof.as_deref().map(str::len), Some(64));
    assert_eq!(config.secrets().iter().collect::<Vec<_>>(), vec!["EAAG-test-page-token", "shh-app-secret"]);
    assert!(!format!("{config:?}").contains("shh"));
}

#[test]
fn option_ranges_read_as_the_numbers_a_user_typed() {
    use crate::core::options::{CALLS_PER_SECOND, LIMIT, MAX_RETRY_DELAY_MS, TIMEOUT_MS};
    assert_eq!(CALLS_PER_SECOND.expected(), "0 (off) or a number from 0.01 to 1000");
    assert_eq!(TIMEOUT_MS.expected(), "a whole number from 1 to 600000");
    assert_eq!(MAX_RETRY_DELAY_MS.expected(), "a whole number from 0 to 3600000");
    let error = LIMIT.check(0.5).unwrap_err();
    assert_eq!(error.to_string(), "invalid limit: expected a whole number from 1 to 500");
}
