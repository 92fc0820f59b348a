//! `softqat sample`: the main job, in the spirit of `cpa_sample_code`.
//!
//! First functional checks of the compression service through the public
//! API (each prints PASS or FAIL with what went wrong), then the performance
//! table of the QAT sample code's compression tests: deflate levels 1 and 2,
//! static and dynamic Huffman, 8 KiB and 64 KiB requests, compression and
//! decompression, on the Calgary corpus, through one instance with
//! asynchronous requests.

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use softqat_engine::DcStatus;
use softqat_sal::{
    dc_simulate_error, AutoSelectBest, ChecksumType, CompType, CpaStatus, DcInstance, DcOpData,
    DcSessionSetup, DmaBuf, DpOp, FlushFlag, HuffType, Qat,
};

use crate::bench::{stack_throughput, StackRun};
use crate::progress::Progress;

pub(crate) type Check = Result<String, String>;

/// A named functional check.
pub(crate) type NamedCheck<'a> = (&'static str, Box<dyn Fn() -> Check + 'a>);

pub(crate) fn ensure(cond: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if cond {
        Ok(())
    } else {
        Err(what())
    }
}

pub(crate) fn e2s(e: softqat_sal::Error) -> String {
    e.to_string()
}

/// Round trips through a synchronous session, checking data and checksum
/// against independent implementations (libdeflate and crc32fast).
fn check_round_trip(inst: &DcInstance, data: &[u8], setup: DcSessionSetup) -> Check {
    let s = inst.init_session(&setup).map_err(e2s)?;
    let mut out = vec![0u8; softqat_sal::deflate_compress_bound(data.len())];
    let r = inst
        .compress(&s, data, &mut out, &DcOpData::new(FlushFlag::Final))
        .map_err(e2s)?;
    ensure(r.status == DcStatus::Ok, || {
        format!("compress status {}", r.status)
    })?;
    ensure(r.consumed as usize == data.len(), || {
        format!("consumed {} of {}", r.consumed, data.len())
    })?;
    let produced = &out[..r.produced as usize];
    // Cross-check with an independent decoder, as the QAT samples use zlib.
    let mut check = vec![0u8; data.len()];
    let n = libdeflater::Decompressor::new()
        .deflate_decompress(produced, &mut check)
        .map_err(|e| format!("libdeflate cannot decode our output: {e:?}"))?;
    ensure(n == data.len() && check == data, || {
        "libdeflate decodes different data".into()
    })?;
    let want = match setup.checksum {
        ChecksumType::Crc32 => crc32fast::hash(data),
        ChecksumType::Adler32 => adler32(data),
        _ => r.checksum,
    };
    ensure(r.checksum == want, || {
        format!("checksum {:#010x}, expected {want:#010x}", r.checksum)
    })?;
    let mut back = vec![0u8; data.len()];
    let d = inst
        .decompress(&s, produced, &mut back, &DcOpData::new(FlushFlag::Final))
        .map_err(e2s)?;
    ensure(
        d.status == DcStatus::Ok && d.produced as usize == data.len() && back == data,
        || format!("decompress status {} produced {}", d.status, d.produced),
    )?;
    ensure(d.checksum == r.checksum, || {
        "decompression checksum differs".into()
    })?;
    Ok(format!(
        "{} -> {} bytes ({:.1}%)",
        data.len(),
        r.produced,
        100.0 * f64::from(r.produced) / data.len().max(1) as f64
    ))
}

fn adler32(data: &[u8]) -> u32 {
    let mut a = simd_adler32::Adler32::new();
    a.write(data);
    a.finish()
}

/// A stream compressed in several requests, the checksum carried from one to
/// the next through the results, decodes as one stream.
fn check_carried_checksum(inst: &DcInstance, data: &[u8]) -> Check {
    let s = inst.init_session(&DcSessionSetup::default()).map_err(e2s)?;
    let mut stream = Vec::new();
    let mut prev: Option<softqat_sal::DcResults> = None;
    let chunks: Vec<&[u8]> = data.chunks(16 << 10).collect();
    for (i, c) in chunks.iter().enumerate() {
        let flush = if i + 1 == chunks.len() {
            FlushFlag::Final
        } else {
            FlushFlag::Full
        };
        let mut op = DcOpData::new(flush);
        if let Some(p) = &prev {
            op = op.continuing(p);
        }
        let mut out = vec![0u8; softqat_sal::deflate_compress_bound(c.len())];
        let r = inst.compress(&s, c, &mut out, &op).map_err(e2s)?;
        ensure(r.status == DcStatus::Ok, || format!("status {}", r.status))?;
        stream.extend_from_slice(&out[..r.produced as usize]);
        prev = Some(r);
    }
    let last = prev.ok_or("no data")?;
    ensure(last.checksum == crc32fast::hash(data), || {
        "carried CRC32 differs from the CRC32 of the whole input".into()
    })?;
    let mut back = vec![0u8; data.len()];
    let n = libdeflater::Decompressor::new()
        .deflate_decompress(&stream, &mut back)
        .map_err(|e| format!("concatenated stream does not decode: {e:?}"))?;
    ensure(n == data.len() && back == data, || "stream differs".into())?;
    Ok(format!(
        "{} requests, CRC32 {:#010x}",
        chunks.len(),
        last.checksum
    ))
}

fn check_async(inst: &DcInstance, data: &[u8]) -> Check {
    let done: Arc<Mutex<Vec<(u64, CpaStatus, softqat_sal::DcResults)>>> = Arc::default();
    let sink = done.clone();
    let s = inst
        .init_session_async(&DcSessionSetup::default(), move |c| {
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((c.tag, c.status, c.results));
        })
        .map_err(e2s)?;
    let n = 16u64;
    for tag in 0..n {
        let src = DmaBuf::try_from_slice(data).map_err(e2s)?;
        let dst = DmaBuf::try_new(softqat_sal::deflate_compress_bound(data.len())).map_err(e2s)?;
        inst.submit_compress(&s, src, dst, &DcOpData::new(FlushFlag::Final), tag)
            .map_err(|r| r.error.to_string())?;
    }
    let mut spins = 0;
    while done.lock().unwrap_or_else(|e| e.into_inner()).len() < n as usize {
        if inst.poll(0).is_err() {
            inst.wait_for_response(Duration::from_millis(10));
        }
        spins += 1;
        ensure(spins < 100_000, || "responses never arrived".into())?;
    }
    let got = done.lock().unwrap_or_else(|e| e.into_inner());
    let tags: Vec<u64> = got.iter().map(|g| g.0).collect();
    ensure(tags == (0..n).collect::<Vec<_>>(), || {
        format!("callbacks out of submission order: {tags:?}")
    })?;
    ensure(
        got.iter()
            .all(|g| g.1 == CpaStatus::Success && g.2.status == DcStatus::Ok),
        || "a request failed".into(),
    )?;
    Ok(format!("{n} callbacks, in order"))
}

fn check_dp(inst: &DcInstance, data: &[u8]) -> Check {
    let done: Arc<Mutex<Vec<u64>>> = Arc::default();
    let sink = done.clone();
    inst.dp_register_callback(move |c| {
        if c.status == CpaStatus::Success && c.results.status == DcStatus::Ok {
            sink.lock().unwrap_or_else(|e| e.into_inner()).push(c.tag);
        }
    });
    let s = inst
        .init_dp_session(&DcSessionSetup::default())
        .map_err(e2s)?;
    let ops: Vec<DpOp> = (0..8)
        .map(|t| {
            Ok(DpOp::compress(
                &s,
                DmaBuf::try_from_slice(data)?,
                DmaBuf::try_new(softqat_sal::deflate_compress_bound(data.len()))?,
                t,
            ))
        })
        .collect::<Result<_, softqat_sal::Error>>()
        .map_err(e2s)?;
    inst.dp_enqueue_batch(ops, false)
        .map_err(|(e, _)| e.to_string())?;
    ensure(inst.dp_queued() == 8, || "batch not queued".into())?;
    inst.dp_perform_now();
    let mut spins = 0;
    while done.lock().unwrap_or_else(|e| e.into_inner()).len() < 8 {
        if inst.dp_poll(0).is_err() {
            inst.wait_for_response(Duration::from_millis(10));
        }
        spins += 1;
        ensure(spins < 100_000, || "responses never arrived".into())?;
    }
    Ok("batch of 8 enqueued, performed, polled".into())
}

fn check_invalid_stream(inst: &DcInstance) -> Check {
    let s = inst.init_session(&DcSessionSetup::default()).map_err(e2s)?;
    // BFINAL=1, BTYPE=11: a reserved block type.
    let bad = [0x07u8, 0, 0, 0];
    let mut out = vec![0u8; 64];
    let r = inst
        .decompress(&s, &bad, &mut out, &DcOpData::new(FlushFlag::Final))
        .map_err(e2s)?;
    ensure(
        r.status == DcStatus::InvalidBlockType && r.consumed == 0 && r.produced == 0,
        || {
            format!(
                "got {} consumed {} produced {}",
                r.status, r.consumed, r.produced
            )
        },
    )?;
    Ok(format!("{}", r.status))
}

fn check_overflow(inst: &DcInstance, data: &[u8]) -> Check {
    let s = inst.init_session(&DcSessionSetup::default()).map_err(e2s)?;
    let mut out = vec![0u8; data.len() / 8];
    let r = inst
        .compress(&s, data, &mut out, &DcOpData::new(FlushFlag::Final))
        .map_err(e2s)?;
    ensure(r.status == DcStatus::Overflow, || {
        format!("status {}", r.status)
    })?;
    ensure((r.consumed as usize) < data.len(), || {
        "consumed everything".into()
    })?;
    // Resubmit the rest with a large enough buffer; the two outputs form one stream.
    let rest = &data[r.consumed as usize..];
    let mut out2 = vec![0u8; softqat_sal::deflate_compress_bound(rest.len())];
    let r2 = inst
        .compress(
            &s,
            rest,
            &mut out2,
            &DcOpData::new(FlushFlag::Final).continuing(&r),
        )
        .map_err(e2s)?;
    ensure(r2.status == DcStatus::Ok, || {
        format!("resubmit {}", r2.status)
    })?;
    let mut stream = out[..r.produced as usize].to_vec();
    stream.extend_from_slice(&out2[..r2.produced as usize]);
    let mut back = vec![0u8; data.len()];
    let n = libdeflater::Decompressor::new()
        .deflate_decompress(&stream, &mut back)
        .map_err(|e| format!("resubmitted stream does not decode: {e:?}"))?;
    ensure(n == data.len() && back == data, || "data differs".into())?;
    ensure(r2.checksum == crc32fast::hash(data), || {
        "checksum differs".into()
    })?;
    Ok(format!(
        "{} at {} of {} bytes, resubmitted",
        r.status,
        r.consumed,
        data.len()
    ))
}

fn check_cnvnr(inst: &DcInstance, data: &[u8]) -> Check {
    let s = inst.init_session(&DcSessionSetup::default()).map_err(e2s)?;
    let before = inst.stats().num_comp_cnv_errors_recovered;
    dc_simulate_error(1, DcStatus::VerifyError).map_err(e2s)?;
    let small = &data[..data.len().min(60_000)];
    let mut out = vec![0u8; softqat_sal::deflate_compress_bound(small.len())];
    let r = inst
        .compress(&s, small, &mut out, &DcOpData::new(FlushFlag::Final))
        .map_err(e2s)?;
    ensure(r.status == DcStatus::Ok, || format!("status {}", r.status))?;
    let after = inst.stats().num_comp_cnv_errors_recovered;
    ensure(after == before + 1, || {
        format!("numCompCnvErrorsRecovered {before} -> {after}")
    })?;
    let mut back = vec![0u8; small.len()];
    let n = libdeflater::Decompressor::new()
        .deflate_decompress(&out[..r.produced as usize], &mut back)
        .map_err(|e| format!("recovered output does not decode: {e:?}"))?;
    ensure(n == small.len() && back == small, || "data differs".into())?;
    Ok("verify error recovered into stored blocks, counted".into())
}

fn check_lz4(inst: &DcInstance, data: &[u8]) -> Check {
    let setup = DcSessionSetup {
        comp_type: CompType::Lz4,
        checksum: ChecksumType::Xxhash32,
        ..DcSessionSetup::default()
    };
    let s = inst.init_session(&setup).map_err(e2s)?;
    let mut out = vec![0u8; softqat_sal::lz4_compress_bound(data.len(), setup.lz4_block_max_size)];
    let r = inst
        .compress(&s, data, &mut out, &DcOpData::new(FlushFlag::Final))
        .map_err(e2s)?;
    ensure(r.status == DcStatus::Ok, || format!("status {}", r.status))?;
    let mut back = vec![0u8; data.len()];
    let d = inst
        .decompress(
            &s,
            &out[..r.produced as usize],
            &mut back,
            &DcOpData::new(FlushFlag::Final),
        )
        .map_err(e2s)?;
    ensure(d.status == DcStatus::Ok && back == data, || {
        format!("decompress status {}", d.status)
    })?;
    Ok(format!("{} -> {} bytes", data.len(), r.produced))
}

fn functional(inst: &DcInstance, data: &[u8]) -> (usize, usize) {
    let sample = &data[..data.len().min(256 << 10)];
    let dynamic = DcSessionSetup::default();
    let checks: Vec<NamedCheck<'_>> = vec![
        (
            "deflate L1 dynamic, CRC32",
            Box::new(|| check_round_trip(inst, sample, dynamic)),
        ),
        (
            "deflate L1 static, Adler32",
            Box::new(|| {
                check_round_trip(
                    inst,
                    sample,
                    DcSessionSetup {
                        huff_type: HuffType::Static,
                        checksum: ChecksumType::Adler32,
                        ..dynamic
                    },
                )
            }),
        ),
        (
            "deflate L6 dynamic",
            Box::new(|| {
                check_round_trip(
                    inst,
                    sample,
                    DcSessionSetup {
                        comp_level: 6,
                        ..dynamic
                    },
                )
            }),
        ),
        (
            "deflate L9 dynamic",
            Box::new(|| {
                check_round_trip(
                    inst,
                    sample,
                    DcSessionSetup {
                        comp_level: 9,
                        ..dynamic
                    },
                )
            }),
        ),
        (
            "deflate, no auto-select-best",
            Box::new(|| {
                check_round_trip(
                    inst,
                    sample,
                    DcSessionSetup {
                        auto_select_best: AutoSelectBest::Disabled,
                        ..dynamic
                    },
                )
            }),
        ),
        (
            "checksum carried across requests",
            Box::new(|| check_carried_checksum(inst, sample)),
        ),
        (
            "asynchronous requests",
            Box::new(|| check_async(inst, sample)),
        ),
        ("data-plane batch", Box::new(|| check_dp(inst, sample))),
        (
            "invalid stream status",
            Box::new(|| check_invalid_stream(inst)),
        ),
        (
            "compression overflow and resubmit",
            Box::new(|| check_overflow(inst, sample)),
        ),
        (
            "compress-and-verify recovery",
            Box::new(|| check_cnvnr(inst, sample)),
        ),
        ("LZ4 with xxHash32", Box::new(|| check_lz4(inst, sample))),
    ];
    run_checks(checks)
}

/// Runs named checks, printing PASS or FAIL with the detail of each;
/// returns (passed, failed).
pub(crate) fn run_checks(checks: Vec<NamedCheck<'_>>) -> (usize, usize) {
    let (mut pass, mut fail) = (0, 0);
    for (name, f) in checks {
        match f() {
            Ok(detail) => {
                pass += 1;
                println!("  PASS  {name:<36} {detail}");
            }
            Err(why) => {
                fail += 1;
                println!("  FAIL  {name:<36} {why}");
            }
        }
    }
    (pass, fail)
}

struct PerfCase {
    level: u8,
    huff: HuffType,
    size: usize,
    compress: bool,
}

fn performance(inst: &DcInstance, data: &[u8], seconds: f64) -> Result<(), String> {
    let mut cases = Vec::new();
    for compress in [true, false] {
        for level in [1u8, 2] {
            for huff in [HuffType::Static, HuffType::FullDynamic] {
                for size in [8192usize, 65536] {
                    cases.push(PerfCase {
                        level,
                        huff,
                        size,
                        compress,
                    });
                }
            }
        }
    }
    let mut progress = Progress::new(cases.len());
    let mut rows = Vec::new();
    for c in &cases {
        let setup = DcSessionSetup {
            comp_level: c.level,
            huff_type: c.huff,
            ..DcSessionSetup::default()
        };
        let chunks: Vec<Vec<u8>> = data.chunks(c.size).map(<[u8]>::to_vec).collect();
        let lens: Vec<usize> = chunks.iter().map(Vec::len).collect();
        // Compressed inputs for the decompression runs, and the ratio.
        let compressed = compress_all(inst, &setup, &chunks)?;
        let out_bytes: usize = compressed.iter().map(Vec::len).sum();
        let run = if c.compress {
            StackRun {
                setup,
                compress: true,
                inputs: &chunks,
                dst_sizes: lens
                    .iter()
                    .map(|&n| softqat_sal::deflate_compress_bound(n))
                    .collect(),
                expect: lens,
                seconds,
                depth: 4 * inst.endpoint().engine_threads(),
            }
        } else {
            StackRun {
                setup,
                compress: false,
                inputs: &compressed,
                dst_sizes: lens.clone(),
                expect: lens,
                seconds,
                depth: 4 * inst.endpoint().engine_threads(),
            }
        };
        let mbps = stack_throughput(inst, &run)?;
        let label = format!(
            "{} L{} {} {}K",
            if c.compress { "compress" } else { "decompress" },
            c.level,
            if c.huff == HuffType::Static {
                "static"
            } else {
                "dynamic"
            },
            c.size / 1024
        );
        progress.step(&label);
        rows.push((c, mbps, data.len() as f64 / out_bytes.max(1) as f64));
    }
    println!();
    println!(
        "{:<12}{:>7}{:>10}{:>10}{:>14}{:>12}{:>10}",
        "Direction", "Level", "Huffman", "Packet", "Throughput", "MB/s", "Ratio"
    );
    println!(
        "{:<12}{:>7}{:>10}{:>10}{:>14}{:>12}{:>10}",
        "", "", "", "(bytes)", "(Mbps)", "", ""
    );
    for (c, mbps, ratio) in rows {
        println!(
            "{:<12}{:>7}{:>10}{:>10}{:>14.0}{:>12.1}{:>10.2}",
            if c.compress { "compress" } else { "decompress" },
            c.level,
            if c.huff == HuffType::Static {
                "static"
            } else {
                "dynamic"
            },
            c.size,
            mbps * 8.0,
            mbps,
            ratio
        );
    }
    Ok(())
}

fn compress_all(
    inst: &DcInstance,
    setup: &DcSessionSetup,
    chunks: &[Vec<u8>],
) -> Result<Vec<Vec<u8>>, String> {
    let s = inst.init_session(setup).map_err(e2s)?;
    chunks
        .iter()
        .map(|c| {
            let mut out = vec![0u8; softqat_sal::deflate_compress_bound(c.len())];
            let r = inst
                .compress(&s, c, &mut out, &DcOpData::new(FlushFlag::Final))
                .map_err(e2s)?;
            if r.status != DcStatus::Ok {
                return Err(format!("compression failed: {}", r.status));
            }
            out.truncate(r.produced as usize);
            Ok(out)
        })
        .collect()
}

/// Runs the sample: functional checks, then performance.
pub fn run(corpus: &str, quick: bool) -> Result<ExitCode, String> {
    let (path, data) = crate::corpus::load(corpus)?;
    let qat = Qat::start("SSL").map_err(e2s)?;
    println!("softqat sample: section {}", qat.section_name());
    for e in qat.endpoints() {
        println!("  {}", e.status_line());
    }
    let insts = qat.dc_instances();
    let inst = insts
        .first()
        .ok_or("the section has no compression instance: enable dc on an endpoint")?;
    for i in insts {
        let info = i.info();
        println!(
            "  instance {}: qat_dev{} bank {} ring pair {}, {:?}, up to {} in flight",
            info.inst_id,
            info.package_id,
            info.bank,
            info.ring_pair,
            info.polling,
            info.max_in_flight
        );
        i.start().map_err(e2s)?;
    }
    println!();
    println!("Functional checks ({}):", path.display());
    let (pass, fail) = functional(inst, &data);
    println!("  {pass} passed, {fail} failed");
    println!();
    println!(
        "Performance: {} ({} bytes), one instance, asynchronous requests, {} engine thread(s) per endpoint",
        path.display(),
        data.len(),
        inst.endpoint().engine_threads()
    );
    performance(inst, &data, if quick { 0.25 } else { 1.0 })?;
    let s = inst.stats();
    println!();
    println!(
        "Instance statistics: {} compressions, {} decompressions completed; {} errors; {} CnV errors recovered",
        s.num_comp_completed,
        s.num_decomp_completed,
        s.num_comp_completed_errors + s.num_decomp_completed_errors,
        s.num_comp_cnv_errors_recovered
    );
    let mut fail = fail;
    match qat.cy_instances().first() {
        None => println!("\nNo crypto instance in the section: the symmetric checks are skipped."),
        Some(cy) => {
            cy.start().map_err(e2s)?;
            println!();
            println!(
                "Symmetric crypto functional checks (instance {}):",
                cy.info().inst_id
            );
            let (p, f) = crate::sample_sym::functional(cy);
            println!("  {p} passed, {f} failed");
            fail += f;
            println!();
            println!(
                "Symmetric crypto performance: one instance, {} engine thread(s) per endpoint; \
                 in-place requests, digests appended; IMIX = 7:4:1 of 64, 576 and 1504 bytes",
                cy.endpoint().engine_threads()
            );
            crate::sample_sym::performance(cy, if quick { 0.02 } else { 0.2 })?;
            let st = cy.sym_stats();
            println!(
                "Instance statistics: {} symmetric requests completed, {} errors, {} verify failures",
                st.num_sym_op_completed,
                st.num_sym_op_completed_errors,
                st.num_sym_op_verify_failures
            );
            if cy.has_asym() {
                println!();
                println!(
                    "Public-key functional checks (instance {}):",
                    cy.info().inst_id
                );
                let key = crate::bench_asym::rsa_key(cy, 2048)?;
                let (p, f) = crate::sample_asym::functional(cy, &key);
                println!("  {p} passed, {f} failed");
                fail += f;
                println!();
                println!(
                    "Public-key performance: one instance, {} engine thread(s) per endpoint, \
                     8 requests in flight per engine thread",
                    cy.endpoint().engine_threads()
                );
                crate::sample_asym::performance(cy, &key, if quick { 0.02 } else { 0.2 })?;
            }
        }
    }
    Ok(if fail == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
