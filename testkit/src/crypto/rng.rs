//! A `rand_core` 0.6 view of [`Drbg`], for crates that take an explicit RNG (p521 nonces, RSA
//! key generation and PSS salts), so their output stays reproducible run to run.

use crate::drbg::Drbg;

/// Bytes drawn from the [`Drbg`] per refill: one full HKDF-SHA-256 expansion (255 blocks), so a
/// long consumer (RSA prime search) does not pay one HKDF extract per small read.
const REFILL: usize = 255 * 32;

/// A deterministic `RngCore + CryptoRng` over a [`Drbg`]. It is only as secret as the Drbg's
/// seed: fine for a test harness whose keys are public by design, never for real keys.
#[derive(Debug, Clone)]
pub struct DrbgRng {
    drbg: Drbg,
    info: &'static str,
    buffer: Vec<u8>,
    position: usize,
}

impl DrbgRng {
    /// Wraps `drbg`; every draw is labelled `info`.
    pub fn new(drbg: Drbg, info: &'static str) -> Self {
        DrbgRng {
            drbg,
            info,
            buffer: Vec::new(),
            position: 0,
        }
    }
}

impl rand_core::RngCore for DrbgRng {
    fn next_u32(&mut self) -> u32 {
        let mut bytes = [0u8; 4];
        self.fill_bytes(&mut bytes);
        u32::from_le_bytes(bytes)
    }

    fn next_u64(&mut self) -> u64 {
        let mut bytes = [0u8; 8];
        self.fill_bytes(&mut bytes);
        u64::from_le_bytes(bytes)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        let mut filled = 0;
        while filled < dest.len() {
            if self.position >= self.buffer.len() {
                self.buffer = self.drbg.bytes(self.info, REFILL);
                self.position = 0;
            }
            let take = (dest.len() - filled).min(self.buffer.len() - self.position);
            dest[filled..filled + take]
                .copy_from_slice(&self.buffer[self.position..self.position + take]);
            filled += take;
            self.position += take;
        }
    }

    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

/// Marker only: the stream is HKDF output, unpredictable without the seed.
impl rand_core::CryptoRng for DrbgRng {}
