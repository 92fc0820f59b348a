//! Reliability, availability and serviceability: the heartbeat as the
//! kernel driver computes it, the faults an endpoint can be made to suffer on
//! purpose, and the error counters (`qat_ras/`).
//!
//! The heartbeat follows `adf_heartbeat.c` (see `device-model.md` §4): the
//! status is computed only when someone asks; a check sooner than the period
//! after the previous counted one reads as unresponsive and is not counted;
//! otherwise every engine thread whose counters show it stuck for
//! [`HEARTBEAT_FAIL_THRESHOLD`] consecutive checks fails the device.
//!
//! An engine thread is stuck when its loop counter did not move (the
//! firmware's admin thread, which always has work: an idle engine still
//! turns its loop at least every 100 ms) or when it has requests it has not
//! answered and its response counter did not move. A single request that
//! runs longer than three periods therefore reads as a hang, as on hardware
//! (Programmer's Guide §3.17.3.4).

use std::fmt;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Where RAS messages go (the kernel's log lines: "Heartbeat ERROR: QAT is
/// not responding.", a failed reset).
pub type LogSink = Box<dyn Fn(&str) + Send + Sync>;

static LOG_SINK: OnceLock<LogSink> = OnceLock::new();

/// Sends this process's RAS messages to `sink` instead of stderr (softqatd
/// sends them to its log; a soak counts them). Only the first call counts:
/// false if a sink was set already.
pub fn set_log_sink(sink: LogSink) -> bool {
    LOG_SINK.set(sink).is_ok()
}

/// Logs a RAS message: to the sink if one is set, else to stderr.
pub(crate) fn log(message: &str) {
    match LOG_SINK.get() {
        Some(sink) => sink(message),
        // Never panics (eprintln! would if stderr were gone).
        None => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "softqat: {message}");
        }
    }
}

/// Consecutive stuck checks that fail a device (`ADF_CFG_HB_COUNT_THRESHOLD`).
pub const HEARTBEAT_FAIL_THRESHOLD: u32 = 3;
/// The shortest heartbeat period the driver accepts, in ms.
pub const HEARTBEAT_MIN_PERIOD_MS: u32 = 200;
/// The heartbeat period of gen2 devices unless configured (`HeartbeatTimer`).
pub const HEARTBEAT_DEFAULT_PERIOD_MS: u32 = 500;
/// Gen4 devices run a fixed period: a write of the period stores this.
pub const HEARTBEAT_GEN4_PERIOD_MS: u32 = 200;
/// Automatic resets of one endpoint are at least this far apart unless set
/// otherwise (`ADF_CFG_HB_RESET_MS`).
pub const DEFAULT_RESET_INTERVAL: Duration = Duration::from_millis(5000);

/// A failure injected on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `icp_sal_heartbeat_simulate_failure`: the next counted heartbeat
    /// check fails the device.
    HeartbeatFailure,
    /// The engines stop: loop and response counters freeze and no request
    /// is served until the device is reset (debugfs `heartbeat/inject_error`).
    EngineHang,
    /// A fatal firmware error, as a RAS interrupt with "reset required".
    FatalError,
    /// An uncorrectable error on one ring pair: the requests queued on it get
    /// dummy responses and it serves again (a non-fatal error).
    RingPairError {
        /// Bank of the ring pair.
        bank: u32,
        /// Ring pair within the bank.
        ring_pair: u32,
    },
    /// A correctable error: counted, nothing else happens.
    Correctable,
}

impl Fault {
    /// The words `softqat inject` takes, one per kind.
    pub const WORDS: &'static str = "heartbeat, hang, fatal, ring-pair BANK[:RP], correctable";

    /// From the CLI's words: `heartbeat`, `hang`, `fatal`, `correctable`,
    /// `ring-pair B` or `ring-pair B:R`.
    pub fn parse(word: &str, arg: Option<&str>) -> Result<Fault, String> {
        Ok(match word {
            "heartbeat" | "heartbeat-failure" => Fault::HeartbeatFailure,
            "hang" | "engine-hang" => Fault::EngineHang,
            "fatal" | "fatal-error" => Fault::FatalError,
            "correctable" => Fault::Correctable,
            "ring-pair" | "rp" => {
                let arg = arg.ok_or("ring-pair needs BANK or BANK:RP, e.g. ring-pair 0")?;
                let (b, r) = arg.split_once(':').unwrap_or((arg, "0"));
                let num = |s: &str| {
                    s.parse::<u32>()
                        .map_err(|_| format!("'{arg}' is not BANK or BANK:RP (numbers)"))
                };
                Fault::RingPairError {
                    bank: num(b)?,
                    ring_pair: num(r)?,
                }
            }
            other => return Err(format!("unknown fault '{other}': one of {}", Fault::WORDS)),
        })
    }

    /// Whether the fault fails the whole endpoint (at once or, for a hang,
    /// when the heartbeat notices).
    pub fn is_fatal(self) -> bool {
        matches!(
            self,
            Fault::HeartbeatFailure | Fault::EngineHang | Fault::FatalError
        )
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::HeartbeatFailure => f.write_str("heartbeat"),
            Fault::EngineHang => f.write_str("hang"),
            Fault::FatalError => f.write_str("fatal"),
            Fault::Correctable => f.write_str("correctable"),
            Fault::RingPairError { bank, ring_pair } => write!(f, "ring-pair {bank}:{ring_pair}"),
        }
    }
}

/// What a heartbeat check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeartbeatStatus {
    /// Every engine thread moved: the device is alive (file value 0).
    Alive,
    /// The device failed this check, or is not up (file value -1).
    Unresponsive,
    /// Asked sooner than the period after the previous counted check: not
    /// counted, and reads as unresponsive (`HB_DEV_UNSUPPORTED`).
    TooSoon,
    /// A reset is in progress (file value -1).
    Resetting,
}

impl HeartbeatStatus {
    /// The value the `heartbeat` and `heartbeat/status` files print.
    pub fn file_value(self) -> i32 {
        match self {
            HeartbeatStatus::Alive => 0,
            _ => -1,
        }
    }

    /// True only for [`HeartbeatStatus::Alive`].
    pub fn is_alive(self) -> bool {
        self == HeartbeatStatus::Alive
    }
}

/// The endpoint's RAS settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RasPolicy {
    /// `AutoResetOnError`: reset by itself after a fatal error.
    pub auto_reset: bool,
    /// Automatic resets are at least this far apart; a failure sooner waits
    /// for the interval to pass.
    pub reset_interval: Duration,
    /// The heartbeat period: checks sooner than this after the previous
    /// counted one are not counted.
    pub heartbeat_period: Duration,
    /// Gen4: the period is fixed and a write stores
    /// [`HEARTBEAT_GEN4_PERIOD_MS`].
    pub fixed_period: bool,
}

impl Default for RasPolicy {
    fn default() -> Self {
        RasPolicy {
            auto_reset: false,
            reset_interval: DEFAULT_RESET_INTERVAL,
            heartbeat_period: Duration::from_millis(u64::from(HEARTBEAT_DEFAULT_PERIOD_MS)),
            fixed_period: false,
        }
    }
}

impl RasPolicy {
    /// The policy of an endpoint of generation `generation` with the
    /// configured `AutoResetOnError` and `HeartbeatTimer`; the reset
    /// interval comes from `SOFTQAT_RESET_INTERVAL_MS` when set (a soak
    /// runs many resets), else [`DEFAULT_RESET_INTERVAL`].
    pub fn for_endpoint(generation: u8, auto_reset: bool, heartbeat_timer_ms: Option<u32>) -> Self {
        let fixed_period = generation >= 4;
        let period_ms = if fixed_period {
            HEARTBEAT_GEN4_PERIOD_MS
        } else {
            heartbeat_timer_ms
                .unwrap_or(HEARTBEAT_DEFAULT_PERIOD_MS)
                .max(HEARTBEAT_MIN_PERIOD_MS)
        };
        let reset_interval = std::env::var("SOFTQAT_RESET_INTERVAL_MS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_millis)
            .unwrap_or(DEFAULT_RESET_INTERVAL);
        RasPolicy {
            auto_reset,
            reset_interval,
            heartbeat_period: Duration::from_millis(u64::from(period_ms)),
            fixed_period,
        }
    }

    /// The period a write of `ms` to `heartbeat/config` stores, or why it is
    /// refused (below [`HEARTBEAT_MIN_PERIOD_MS`]: `-EINVAL`).
    pub fn period_for_write(&self, ms: u32) -> Result<Duration, String> {
        if ms < HEARTBEAT_MIN_PERIOD_MS {
            return Err(format!(
                "a heartbeat period of {ms} ms is below the minimum of \
                 {HEARTBEAT_MIN_PERIOD_MS} ms"
            ));
        }
        let ms = if self.fixed_period {
            HEARTBEAT_GEN4_PERIOD_MS
        } else {
            ms
        };
        Ok(Duration::from_millis(u64::from(ms)))
    }
}

/// Heartbeat counters as `heartbeat_sent`/`queries_sent` and
/// `heartbeat_failed`/`queries_failed` show them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeartbeatStats {
    /// Counted checks.
    pub queries_sent: u64,
    /// Checks that found the device failed.
    pub queries_failed: u64,
}

/// The `qat_ras/` error counters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RasErrors {
    /// `errors_correctable`.
    pub correctable: u64,
    /// `errors_nonfatal`.
    pub nonfatal: u64,
    /// `errors_fatal`.
    pub fatal: u64,
}

/// One engine thread's counters at a check: loop turns, requests taken,
/// responses sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThreadSample {
    /// Loop turns (the admin thread's pair: always has work).
    pub beats: u64,
    /// Requests taken.
    pub requests: u64,
    /// Responses sent.
    pub responses: u64,
}

/// The heartbeat's memory between checks.
#[derive(Debug, Default)]
pub(crate) struct Heartbeat {
    last_check: Option<Instant>,
    previous: Vec<ThreadSample>,
    stuck: Vec<u32>,
    stats: HeartbeatStats,
    /// Set by [`Fault::HeartbeatFailure`]: the next counted check fails.
    simulate_failure: bool,
}

/// What one counted or uncounted check decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    TooSoon,
    Alive,
    Failed,
}

impl Heartbeat {
    /// Arms [`Fault::HeartbeatFailure`].
    pub(crate) fn simulate_failure(&mut self) {
        self.simulate_failure = true;
    }

    pub(crate) fn stats(&self) -> HeartbeatStats {
        self.stats
    }

    /// Forgets the counters' history (after a reset the engines start
    /// again from their current values).
    pub(crate) fn rebase(&mut self) {
        self.previous.clear();
        self.stuck.clear();
    }

    /// One check at `now` of the threads' `samples`, `period` after the
    /// previous counted one at the earliest.
    pub(crate) fn check(
        &mut self,
        now: Instant,
        period: Duration,
        samples: &[ThreadSample],
    ) -> Verdict {
        if let Some(last) = self.last_check {
            if now.saturating_duration_since(last) < period {
                return Verdict::TooSoon;
            }
        }
        self.last_check = Some(now);
        self.stats.queries_sent += 1;
        if self.previous.len() != samples.len() {
            // First check (or a new engine count): nothing to compare with.
            self.previous = samples.to_vec();
            self.stuck = vec![0; samples.len()];
            return self.conclude(false);
        }
        let mut failed = false;
        for (i, (now_s, prev)) in samples.iter().zip(&self.previous).enumerate() {
            let loop_stuck = now_s.beats == prev.beats;
            let work_stuck = now_s.requests != now_s.responses && now_s.responses == prev.responses;
            if loop_stuck || work_stuck {
                self.stuck[i] += 1;
                failed |= self.stuck[i] >= HEARTBEAT_FAIL_THRESHOLD;
            } else {
                self.stuck[i] = 0;
            }
        }
        self.previous.copy_from_slice(samples);
        self.conclude(failed)
    }

    fn conclude(&mut self, failed: bool) -> Verdict {
        let failed = failed || std::mem::take(&mut self.simulate_failure);
        if failed {
            self.stats.queries_failed += 1;
            // The stuck threads start counting again: a device still stuck
            // after its reset fails again three checks later.
            self.stuck.iter_mut().for_each(|s| *s = 0);
            Verdict::Failed
        } else {
            Verdict::Alive
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(beats: u64, requests: u64, responses: u64) -> ThreadSample {
        ThreadSample {
            beats,
            requests,
            responses,
        }
    }

    #[test]
    fn frozen_thread_fails_on_the_third_check_and_not_before() {
        let mut hb = Heartbeat::default();
        let p = Duration::from_millis(200);
        let t0 = Instant::now();
        let at = |k: u64| t0 + Duration::from_millis(200 * k);
        assert_eq!(hb.check(at(0), p, &[s(5, 1, 1)]), Verdict::Alive);
        assert_eq!(hb.check(at(1), p, &[s(9, 2, 2)]), Verdict::Alive);
        // Frozen from here on.
        assert_eq!(hb.check(at(2), p, &[s(9, 2, 2)]), Verdict::Alive);
        assert_eq!(hb.check(at(3), p, &[s(9, 2, 2)]), Verdict::Alive);
        assert_eq!(hb.check(at(4), p, &[s(9, 2, 2)]), Verdict::Failed);
        assert_eq!(
            hb.stats(),
            HeartbeatStats {
                queries_sent: 5,
                queries_failed: 1
            }
        );
    }

    #[test]
    fn unanswered_work_counts_even_when_the_loop_turns() {
        let mut hb = Heartbeat::default();
        let p = Duration::from_millis(200);
        let t0 = Instant::now();
        let at = |k: u64| t0 + Duration::from_millis(200 * k);
        hb.check(at(0), p, &[s(1, 3, 2)]);
        assert_eq!(hb.check(at(1), p, &[s(2, 3, 2)]), Verdict::Alive);
        assert_eq!(hb.check(at(2), p, &[s(3, 3, 2)]), Verdict::Alive);
        assert_eq!(hb.check(at(3), p, &[s(4, 3, 2)]), Verdict::Failed);
        // Answered: alive again.
        assert_eq!(hb.check(at(4), p, &[s(5, 3, 3)]), Verdict::Alive);
    }

    #[test]
    fn a_check_too_soon_is_not_counted() {
        let mut hb = Heartbeat::default();
        let p = Duration::from_millis(500);
        let t0 = Instant::now();
        assert_eq!(hb.check(t0, p, &[s(1, 0, 0)]), Verdict::Alive);
        assert_eq!(
            hb.check(t0 + Duration::from_millis(499), p, &[s(1, 0, 0)]),
            Verdict::TooSoon
        );
        assert_eq!(hb.stats().queries_sent, 1);
        assert_eq!(
            hb.check(t0 + Duration::from_millis(500), p, &[s(2, 0, 0)]),
            Verdict::Alive
        );
    }

    #[test]
    fn simulated_failure_fails_the_next_counted_check_once() {
        let mut hb = Heartbeat::default();
        let p = Duration::from_millis(200);
        let t0 = Instant::now();
        hb.simulate_failure();
        assert_eq!(hb.check(t0, p, &[s(1, 0, 0)]), Verdict::Failed);
        assert_eq!(
            hb.check(t0 + p, p, &[s(2, 0, 0)]),
            Verdict::Alive,
            "a simulated failure is one failure"
        );
    }

    #[test]
    fn faults_parse_from_the_cli_words() {
        assert_eq!(Fault::parse("hang", None), Ok(Fault::EngineHang));
        assert_eq!(
            Fault::parse("ring-pair", Some("1:0")),
            Ok(Fault::RingPairError {
                bank: 1,
                ring_pair: 0
            })
        );
        assert!(Fault::parse("ring-pair", None).is_err());
        assert!(Fault::parse("meltdown", None)
            .unwrap_err()
            .contains("heartbeat, hang"));
        for f in [
            Fault::HeartbeatFailure,
            Fault::EngineHang,
            Fault::FatalError,
            Fault::Correctable,
        ] {
            assert_eq!(Fault::parse(&f.to_string(), None), Ok(f));
        }
    }

    #[test]
    fn gen4_period_is_fixed() {
        let p = RasPolicy::for_endpoint(4, true, Some(1000));
        assert_eq!(p.heartbeat_period, Duration::from_millis(200));
        assert_eq!(p.period_for_write(700), Ok(Duration::from_millis(200)));
        assert!(p.period_for_write(100).is_err());
        let p2 = RasPolicy::for_endpoint(2, false, Some(1000));
        assert_eq!(p2.heartbeat_period, Duration::from_millis(1000));
        assert_eq!(p2.period_for_write(700), Ok(Duration::from_millis(700)));
    }
}
