//! The crate's SHA-256 and HMAC-SHA256 against the published test vectors
//! (FIPS 180-4's examples, RFC 4231) and against the RustCrypto crates on
//! random keys and messages.

use crate::core::sha256::{equal_in_constant_time, hex, hmac_sha256, sha256, Sha256};
use hmac::{Hmac, Mac};
use proptest::prelude::*;
use sha2::Digest;

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn sha256_gives_the_published_digests() {
    let cases: [(&[u8], &str); 4] = [
        (b"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (b"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
        (
            b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
        ),
    ];
    for (message, digest) in cases {
        assert_eq!(hex(&sha256(message)), digest, "{:?}", String::from_utf8_lossy(message));
    }
    // A million `a`s, fed in uneven pieces.
    let mut digest = Sha256::default();
    let piece = [b'a'; 997];
    let mut left = 1_000_000;
    while left > 0 {
        let n = left.min(piece.len());
        digest.update(&piece[..n]);
        left -= n;
    }
    assert_eq!(hex(&digest.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

#[test]
fn hmac_sha256_gives_rfc_4231_s_values() {
    let long_key = [0xaa; 131];
    let cases: [(&[u8], &[u8], &str); 4] = [
        (&[0x0b; 20], b"Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (b"Jefe", b"what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (
            &long_key,
            b"Test Using Larger Than Block-Size Key - Hash Key First",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
        (
            &long_key,
            b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.",
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        ),
    ];
    for (key, message, mac) in cases {
        assert_eq!(hex(&hmac_sha256(key, message)), mac);
    }
}

#[test]
fn equal_in_constant_time_tells_every_byte() {
    let a = sha256(b"a");
    assert!(equal_in_constant_time(&a, &a));
    for i in 0..32 {
        for bit in 0..8 {
            let mut b = a;
            b[i] ^= 1 << bit;
            assert!(!equal_in_constant_time(&a, &b), "byte {i} bit {bit}");
        }
    }
}

#[test]
fn hex_writes_lowercase_pairs() {
    assert_eq!(hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
    assert_eq!(unhex(&hex(&[1, 2, 254])), [1, 2, 254]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() })]

    /// The digest and the MAC are RustCrypto's for every length around
    /// the block's (55, 56, 63, 64, 119, 128 …) and keys shorter and
    /// longer than a block, however the message is split into updates.
    #[test]
    fn agree_with_rustcrypto(
        key in proptest::collection::vec(any::<u8>(), 0..200),
        message in proptest::collection::vec(any::<u8>(), 0..300),
        cut in 0usize..300,
    ) {
        let theirs: [u8; 32] = sha2::Sha256::digest(&message).into();
        prop_assert_eq!(sha256(&message), theirs);
        let cut = cut.min(message.len());
        let mut split = Sha256::default();
        split.update(&message[..cut]);
        split.update(&message[cut..]);
        prop_assert_eq!(split.finish(), theirs);
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
        mac.update(&message);
        let theirs: [u8; 32] = mac.finalize().into_bytes().into();
        prop_assert_eq!(hmac_sha256(&key, &message), theirs);
    }
}
