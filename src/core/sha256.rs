//! SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104): what the webhook
//! signature, `appsecret_proof` and the key of a token's pace need.
//!
//! The blocks, the padding and HMAC are written out here around `sha2`'s
//! compression function, instead of the `hmac` crate and `sha2`'s
//! `Digest`, whose generic layers (`digest`, `block-buffer`,
//! `crypto-common`) cost the `.wasm` 1.6 KB more for the same three
//! functions. The host tests check it against those crates on random keys
//! and messages of every length around the block size, and against the
//! published test vectors. There is no branch and no table lookup on the
//! data or the key, so its time depends only on their lengths.

use crate::prelude::*;

/// The starting state: the first 32 bits of the fractional parts of the
/// square roots of the first 8 primes.
const START: [u32; 8] =
    [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19];

/// A SHA-256 digest under way: feed it with [`Sha256::update`], end it
/// with [`Sha256::finish`].
#[derive(Clone)]
pub struct Sha256 {
    state: [u32; 8],
    /// The block being filled, `filled` bytes of it so far.
    block: [u8; 64],
    filled: usize,
    /// Bytes fed in so far.
    length: u64,
}

impl Default for Sha256 {
    fn default() -> Self {
        Self { state: START, block: [0; 64], filled: 0, length: 0 }
    }
}

impl Sha256 {
    /// Feeds `data` in.
    pub fn update(&mut self, data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        let mut rest = data;
        // Whole blocks straight from `data` when no partial block waits
        // (every update of the library's three uses).
        if self.filled == 0 {
            let blocks = data.chunks_exact(64);
            rest = blocks.remainder();
            for block in blocks {
                if let Ok(block) = block.try_into() {
                    compress(&mut self.state, block);
                }
            }
        }
        // The rest byte by byte into the block: no slice index that could
        // panic.
        for &byte in rest {
            if let Some(slot) = self.block.get_mut(self.filled) {
                *slot = byte;
            }
            self.filled += 1;
            if self.filled == 64 {
                compress(&mut self.state, &self.block);
                self.filled = 0;
            }
        }
    }

    /// The digest of everything fed in.
    pub fn finish(mut self) -> [u8; 32] {
        let bits = self.length.wrapping_mul(8);
        self.update(&[0x80]);
        while self.filled != 56 {
            self.update(&[0]);
        }
        self.update(&bits.to_be_bytes());
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state) {
            for (slot, byte) in chunk.iter_mut().zip(word.to_be_bytes()) {
                *slot = byte;
            }
        }
        out
    }
}

/// Runs the 64 rounds of `block` on `state`: `sha2`'s compression
/// function, the one part of the RustCrypto crates the library uses (a loop
/// in the wasm build, `force-soft-compact`, built at `opt-level = 3`).
fn compress(state: &mut [u32; 8], block: &[u8; 64]) {
    sha2::compress256(state, ::core::slice::from_ref(block.into()));
}

/// The SHA-256 digest of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut digest = Sha256::default();
    digest.update(data);
    digest.finish()
}

/// HMAC-SHA256 of `message` with `key` (a key of any length: one longer
/// than a block is hashed first, as RFC 2104 says).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut padded = [0u8; 64];
    let hashed;
    let key = if key.len() > 64 {
        hashed = sha256(key);
        &hashed[..]
    } else {
        key
    };
    for (slot, byte) in padded.iter_mut().zip(key) {
        *slot = *byte;
    }
    let mut inner = Sha256::default();
    inner.update(&padded.map(|b| b ^ 0x36));
    inner.update(message);
    let mut outer = Sha256::default();
    outer.update(&padded.map(|b| b ^ 0x5c));
    outer.update(&inner.finish());
    outer.finish()
}

/// Whether `a` and `b` are equal, in a time that does not depend on where
/// they differ: every byte is compared, the differences gathered into one
/// value that the optimiser cannot see through before it is tested.
pub fn equal_in_constant_time(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut differ = 0u8;
    for (x, y) in a.iter().zip(b) {
        differ |= x ^ y;
    }
    ::core::hint::black_box(differ) == 0
}

/// `bytes` as lowercase hex digits.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    out
}
