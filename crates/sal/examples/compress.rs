//! Compress and decompress with the softqat Rust API, the way a QAT
//! application does: start a section, take an instance, open a session,
//! submit requests, read the results.
//!
//! Run: `cargo run --release -p softqat-sal --example compress [FILE]`

use softqat_sal::{DcOpData, DcSessionSetup, DcStatus, FlushFlag, Qat};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = match std::env::args().nth(1) {
        Some(path) => std::fs::read(path)?,
        None => b"QuickAssist on any machine. ".repeat(4096),
    };

    // icp_sal_userStart("SSL"): embedded endpoints from $SOFTQAT_CONFIG_DIR,
    // /etc/softqat, or the built-in default (4xxx: qat_dev0 sym;asym, qat_dev1 dc).
    let qat = Qat::start("SSL")?;
    let inst = qat
        .dc_instances()
        .first()
        .ok_or("no compression instance")?;
    inst.start()?; // cpaDcStartInstance

    // cpaDcInitSession without a callback: synchronous requests.
    let session = inst.init_session(&DcSessionSetup::default())?;

    let mut compressed = vec![0u8; softqat_sal::deflate_compress_bound(data.len())];
    let r = inst.compress(
        &session,
        &data,
        &mut compressed,
        &DcOpData::new(FlushFlag::Final),
    )?;
    assert_eq!(r.status, DcStatus::Ok);
    compressed.truncate(r.produced as usize);

    let mut back = vec![0u8; data.len()];
    let d = inst.decompress(
        &session,
        &compressed,
        &mut back,
        &DcOpData::new(FlushFlag::Final),
    )?;
    assert_eq!(d.status, DcStatus::Ok);
    assert_eq!(&back[..d.produced as usize], &data[..]);
    assert_eq!(d.checksum, r.checksum, "CRC32 of the data, both ways");

    println!(
        "{} ({}): {} -> {} bytes, CRC32 {:#010x}",
        inst.info().inst_id,
        qat.section_name(),
        data.len(),
        r.produced,
        r.checksum
    );
    Ok(())
}
