//! `core::auth`.

use crate::core::auth::*;
#[allow(unused_imports)]
use crate::*;

#[test]
fn proof_is_hex_hmac_sha256_of_the_token() {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    assert_eq!(
        appsecret_proof("what do ya want for nothing?", "Jefe"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    let token = AccessToken::new("EAAG-token-0123456789").unwrap();
    let proof = token.proof(&AppSecret::new("s3cret-app-secret").unwrap());
    assert_eq!(proof.len(), 64);
    assert!(check_proof(&proof).is_ok());
}

#[test]
fn secrets_never_show_in_debug() {
    let token = AccessToken::new("EAAG-very-secret-token").unwrap();
    let secret = AppSecret::new("app-very-secret").unwrap();
    let shown = format!("{token:?} {secret:?}");
    assert!(!shown.contains("very-secret"), "{shown}");
}

#[test]
fn tokens_that_could_split_a_header_are_refused() {
    assert!(AccessToken::new("").is_err());
    assert!(AccessToken::new("abc\r\nX-Evil: 1").is_err());
    assert!(AccessToken::new("abc def").is_err());
    let err = AccessToken::new("EAAG secret").unwrap_err();
    assert!(!err.to_string().contains("EAAG"));
    assert!(check_proof("xyz").is_err());
    let prefixed = AccessToken::new("Bearer EAAGsecret").unwrap_err().to_string();
    assert!(prefixed.contains("without \"Bearer \"") && !prefixed.contains("EAAG"), "{prefixed}");
}

#[test]
fn implausibly_short_secrets_are_refused_with_a_clear_message() {
    for short in ["x", "e", "token", "EAAG-secret"] {
        let err = AccessToken::new(short).unwrap_err();
        assert!(err.to_string().contains("too short to be real"), "{err}");
        assert!(err.to_string().contains("16 characters or more"), "{err}");
    }
    assert!(AccessToken::new("EAAG-mock-token-1").is_ok());
    assert!(AppSecret::new("shh").is_err());
    assert!(AppSecret::new("0123456789abcdef0123456789abcdef").is_ok());
}
