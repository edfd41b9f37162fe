//! Exponential backoff with jitter, and the random source the jitter is drawn from.

use core::time::Duration;

/// Where the jitter comes from: anything that yields uniformly distributed 64-bit values.
///
/// The classifier never reads a clock or an operating-system RNG itself, so it stays pure and `no_std`: the caller
/// hands in the randomness. Seed [`SplitMix64`] from something that differs between devices (a hardware RNG, the
/// MAC address or device ID mixed with the boot time); two devices with the same seed retry in lock-step, which is
/// what jitter is there to prevent. Tests pass a fixed seed and get the same delays every run.
///
/// ```
/// use azure_iot_codes::retry::RandomSource;
///
/// /// A source that always returns the same value (for a test).
/// struct Fixed(u64);
/// impl RandomSource for Fixed {
///     fn next_u64(&mut self) -> u64 {
///         self.0
///     }
/// }
/// assert_eq!(Fixed(7).next_u64(), 7);
/// ```
pub trait RandomSource {
    /// The next uniformly distributed 64-bit value.
    fn next_u64(&mut self) -> u64;
}

/// A tiny, fast, seedable pseudo-random generator (SplitMix64, Steele, Lea and Flood, OOPSLA 2014).
///
/// Good enough to spread retries of a fleet apart; not for cryptography. Written here rather than depending on
/// the `rand` crate: the classifier needs one `u64` per delay, and 20 lines of well-known arithmetic keep the crate
/// free of a dependency (and of its `getrandom` plumbing on targets without an OS).
///
/// ```
/// use azure_iot_codes::retry::{RandomSource, SplitMix64};
/// let mut a = SplitMix64::new(42);
/// let mut b = SplitMix64::new(42);
/// assert_eq!(a.next_u64(), b.next_u64()); // same seed, same sequence
/// assert_ne!(SplitMix64::new(1).next_u64(), SplitMix64::new(2).next_u64());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose sequence is fixed by `seed` (every seed, including 0, is fine).
    pub const fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }
}

impl RandomSource for SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// A value in `lo..=hi` (both included), drawn from `rng` by the multiply-shift method (Lemire 2019), whose bias
/// is below 2^-40 for the spans a delay in milliseconds can have.
pub(crate) fn uniform_inclusive<R: RandomSource + ?Sized>(rng: &mut R, lo: u64, hi: u64) -> u64 {
    if hi <= lo {
        return lo;
    }
    let span = u128::from(hi - lo) + 1;
    let offset = (u128::from(rng.next_u64()) * span) >> 64;
    // offset < span <= u64::MAX + 1, so it fits in u64 and lo + offset <= hi.
    lo + offset as u64
}

/// One backoff profile: how long to wait before attempt `n + 1` after attempt `n` failed.
///
/// For attempt `n` (1-based; 0 is read as 1) the base is `initial_ms * multiplier^(n-1)`, computed with saturating
/// arithmetic so that no attempt number (up to `u32::MAX`) overflows. The delay is drawn uniformly from the band
/// `[lo, hi]` where
///
/// - `lo = min(base, max_ms * 100 / (100 + jitter_percent))`
/// - `hi = min(lo + lo * jitter_percent / 100, max_ms)`
///
/// so the jitter only ever *adds* to the base (a delay is never shorter than the exponential base below the cap,
/// which matters for throttling minimums) and the band below the cap is shifted down to leave room for it: the
/// delay never exceeds `max_ms`, and retries stay spread even after the base reached the cap. A `multiplier` of 0
/// or 1 gives a constant interval; `jitter_percent` above 100 is read as 100. Every field value is accepted.
///
/// ```
/// use azure_iot_codes::retry::{Backoff, SplitMix64};
/// let b = Backoff::NORMAL; // 1 s, doubling, capped at 100 s, +0..50 % jitter
/// assert_eq!(b.band(1), (1_000, 1_500));
/// assert_eq!(b.band(2), (2_000, 3_000));
/// assert_eq!(b.band(30), (66_666, 99_999)); // capped; the jitter stays below the cap
/// let d = b.delay(3, &mut SplitMix64::new(7));
/// assert!((4_000..=6_000).contains(&(d.as_millis() as u64)));
/// assert!(b.band(u32::MAX).1 <= b.max_ms); // no overflow
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Backoff {
    /// The base delay after the first failed attempt, in milliseconds.
    pub initial_ms: u64,
    /// The cap: no delay is ever longer, in milliseconds.
    pub max_ms: u64,
    /// The growth factor per attempt (2 doubles; 0 and 1 keep the interval constant).
    pub multiplier: u32,
    /// How much random extra time is added on top of the base, in percent of the base (0-100).
    pub jitter_percent: u32,
}

impl Backoff {
    /// Transient failures (5xx, 408, connection drops): 1 s, doubling, capped at 100 s, plus 0-50 % jitter.
    ///
    /// 1 s and 100 s are the minimum and maximum retry delays the Azure Embedded C SDK recommends for IoT Hub and
    /// DPS clients (`sdk/docs/iot/mqtt_state_machine.md`, "Retry Timing"), the SDK aimed at the same constrained
    /// devices as this crate's `no_std` build. The 50 % band is the relative width of the Node SDK's documented
    /// jitter window (`C*(1-Jd)..C*(1-Ju)` with `Jd = 0.5`, `Ju = 0.25`); it is wider than the C SDK's 5 % so
    /// that a fleet that lost its connection at the same instant does not come back in the same second.
    pub const NORMAL: Backoff = Backoff {
        initial_ms: 1_000,
        max_ms: 100_000,
        multiplier: 2,
        jitter_percent: 50,
    };

    /// Throttling (429): 10 s, doubling, capped at 60 s, plus 0-50 % jitter.
    ///
    /// 10 s and 60 s are the Node SDK's throttled parameters (`cMin = 10000`, `cMax = 60000` in
    /// `common/core/src/retry_policy.ts`) and the C# SDK's former throttling policy
    /// (`ExponentialBackoff(RetryCount, 10 s, 60 s, 5 s)` before 1.19.0).
    pub const THROTTLED: Backoff = Backoff {
        initial_ms: 10_000,
        max_ms: 60_000,
        multiplier: 2,
        jitter_percent: 50,
    };

    /// Polling a DPS registration that is still `assigning` when DPS sent no `retry-after`: 2 s to 3 s, constant.
    ///
    /// 2 s is the default polling interval of the C#, Node and Python provisioning clients
    /// (`s_defaultOperationPollingInterval`, `defaultPollingInterval = 2000`, `DEFAULT_POLLING_INTERVAL = 2`); the
    /// C# client adds random jitter when DPS gives no `retry-after`, and so does this profile (up to 50 %).
    pub const POLL: Backoff = Backoff {
        initial_ms: 2_000,
        max_ms: 3_000,
        multiplier: 1,
        jitter_percent: 50,
    };

    /// The band `(lo, hi)` in milliseconds the delay after failed attempt `attempt` is drawn from. Never panics;
    /// `lo <= hi <= max_ms` for every input.
    ///
    /// ```
    /// use azure_iot_codes::retry::Backoff;
    /// assert_eq!(Backoff::THROTTLED.band(1), (10_000, 15_000));
    /// assert_eq!(Backoff::THROTTLED.band(3), (40_000, 60_000));
    /// assert_eq!(Backoff::POLL.band(9), (2_000, 3_000));
    /// ```
    pub fn band(&self, attempt: u32) -> (u64, u64) {
        let jitter = u128::from(self.jitter_percent.min(100));
        let exponent = attempt.max(1) - 1;
        let growth = u64::from(self.multiplier.max(1)).saturating_pow(exponent);
        let base = self.initial_ms.saturating_mul(growth);
        let room = (u128::from(self.max_ms) * 100 / (100 + jitter)) as u64;
        let lo = base.min(room);
        let extra = (u128::from(lo) * jitter / 100) as u64;
        let hi = lo.saturating_add(extra).min(self.max_ms);
        (lo, hi)
    }

    /// The delay after failed attempt `attempt`, drawn from [`Backoff::band`] with `rng`.
    ///
    /// ```
    /// use azure_iot_codes::retry::{Backoff, SplitMix64};
    /// let mut rng = SplitMix64::new(1);
    /// let d = Backoff::NORMAL.delay(1, &mut rng);
    /// assert!(d.as_millis() >= 1_000 && d.as_millis() <= 1_500);
    /// ```
    pub fn delay<R: RandomSource + ?Sized>(&self, attempt: u32, rng: &mut R) -> Duration {
        let (lo, hi) = self.band(attempt);
        Duration::from_millis(uniform_inclusive(rng, lo, hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_covers_the_ends_and_stays_inside() {
        struct Fixed(u64);
        impl RandomSource for Fixed {
            fn next_u64(&mut self) -> u64 {
                self.0
            }
        }
        assert_eq!(uniform_inclusive(&mut Fixed(0), 10, 20), 10);
        assert_eq!(uniform_inclusive(&mut Fixed(u64::MAX), 10, 20), 20);
        assert_eq!(
            uniform_inclusive(&mut Fixed(u64::MAX), 0, u64::MAX),
            u64::MAX
        );
        assert_eq!(uniform_inclusive(&mut Fixed(5), 7, 7), 7);
        assert_eq!(uniform_inclusive(&mut Fixed(5), 9, 3), 9);
    }

    #[test]
    fn splitmix_matches_the_published_sequence() {
        // First outputs of SplitMix64 seeded with 0, as published with the algorithm's reference code.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(r.next_u64(), 0x06C4_5D18_8009_454F);
    }

    #[test]
    fn degenerate_profiles_are_total() {
        let zero = Backoff {
            initial_ms: 0,
            max_ms: 0,
            multiplier: 0,
            jitter_percent: 0,
        };
        assert_eq!(zero.band(u32::MAX), (0, 0));
        let wide = Backoff {
            initial_ms: u64::MAX,
            max_ms: u64::MAX,
            multiplier: u32::MAX,
            jitter_percent: u32::MAX,
        };
        let (lo, hi) = wide.band(u32::MAX);
        assert!(lo <= hi);
        let inverted = Backoff {
            initial_ms: 5_000,
            max_ms: 1_000,
            multiplier: 2,
            jitter_percent: 50,
        };
        assert_eq!(inverted.band(1), (666, 999));
    }
}
