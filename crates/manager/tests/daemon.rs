//! softqatd in-process, driven as clients drive it: raw protocol messages
//! on its socket, rings and DMA memory shared through the descriptors it
//! hands out.

mod common;

use std::io::Write;
use std::os::fd::AsFd;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;

use common::*;
use softqat_config::RingService;
use softqat_cpa::{CpaStatus, InstanceEvent};
use softqat_device::ipc::SharedMemory;
use softqat_device::notify::EventFd;
use softqat_device::plan::InstanceKind;
use softqat_device::proto::{self, kind, Request, Verb};
use softqat_engine::DcStatus;
use softqat_manager::{ConfigSource, Daemon, DaemonOptions, ManagerError};

const CPA_SUCCESS: i8 = CpaStatus::Success.code() as i8;
const CPA_FAIL: i32 = CpaStatus::Fail.code();
const CPA_RESOURCE: i32 = CpaStatus::Resource.code();
const CPA_INVALID_PARAM: i32 = CpaStatus::InvalidParam.code();

const IOVA: u64 = 0x4000_0000;

#[test]
fn start_writes_socket_and_pid_file_and_shutdown_removes_them() {
    let mut d = TestDaemon::start(ConfigSource::Builtin);
    let socket = d.daemon().socket_path().to_path_buf();
    let pid_file = d.daemon().pid_file().to_path_buf();
    let meta = std::fs::metadata(&socket).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o660);
    assert_eq!(
        std::fs::read_to_string(&pid_file).unwrap(),
        format!("{}\n", std::process::id())
    );
    let line = d.log.wait_for("listening on");
    assert!(
        line.contains("2 endpoints") && line.contains("built-in"),
        "{line}"
    );
    assert!(
        line.contains("group qat") || line.contains("no group qat"),
        "{line}"
    );

    let mut c = d.connect();
    let st = c.status();
    assert_eq!(st.len(), 2);
    assert!(
        st[1].line.starts_with("qat_dev1 - type: 4xxx"),
        "{}",
        st[1].line
    );
    assert!(st[1].line.ends_with("state: up"), "{}", st[1].line);
    assert_eq!((st[1].state, st[1].engine_threads), (1, 1));
    let _s = c.section("SSL");
    d.log.wait_for("connected");

    d.shutdown();
    assert!(!socket.exists(), "socket left behind");
    assert!(!pid_file.exists(), "PID file left behind");
    // The client holding a section on qat_dev1 was told, then disconnected.
    assert!(c.closed());
    assert!(
        c.events.contains(&(1, InstanceEvent::Restarting)),
        "{:?}",
        c.events
    );
    d.log.wait_for("released SSL_INT_0");
    d.log.wait_for("stopped");
}

#[test]
fn a_second_daemon_is_refused_and_a_stale_socket_is_replaced() {
    let d = TestDaemon::start(ConfigSource::Builtin);
    let err = Daemon::start(DaemonOptions {
        run_dir: d.daemon().run_dir().to_path_buf(),
        config: ConfigSource::Builtin,
        engine_threads: Some(1),
        log: Some(std::sync::Arc::new(|_: &str| {})),
        ..DaemonOptions::default()
    })
    .unwrap_err();
    assert!(matches!(err, ManagerError::AlreadyRunning { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!(
            "another softqatd is running (pid {} from the PID file)",
            std::process::id()
        )),
        "{msg}"
    );
    // The first one is unaffected.
    d.connect().status();

    // A socket file nobody listens on is removed and replaced.
    let run = TempDir::new("stale");
    let sock = proto::socket_path(run.path());
    drop(std::os::unix::net::UnixListener::bind(&sock).unwrap());
    assert!(sock.exists());
    let d2 = Daemon::start(DaemonOptions {
        run_dir: run.path().to_path_buf(),
        config: ConfigSource::Builtin,
        engine_threads: Some(1),
        log: Some(std::sync::Arc::new(|_: &str| {})),
        ..DaemonOptions::default()
    })
    .unwrap();
    Client::connect(&sock).status();
    d2.shutdown();

    // Something that is not a socket is left alone.
    std::fs::write(&sock, "x").unwrap();
    let err = Daemon::start(DaemonOptions {
        run_dir: run.path().to_path_buf(),
        config: ConfigSource::Builtin,
        engine_threads: Some(1),
        log: Some(std::sync::Arc::new(|_: &str| {})),
        ..DaemonOptions::default()
    })
    .unwrap_err();
    assert!(
        err.to_string().contains("is not a socket: remove it"),
        "{err}"
    );
}

#[test]
fn a_bad_configuration_is_a_clear_error() {
    let dir = TempDir::new("badcfg");
    let err = Daemon::start(DaemonOptions {
        run_dir: dir.path().join("run"),
        config: managed_file(&dir, "POLICY=lots\n"),
        engine_threads: Some(1),
        log: Some(std::sync::Arc::new(|_: &str| {})),
        ..DaemonOptions::default()
    })
    .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("POLICY=lots is not allowed"), "{msg}");
    assert!(
        !dir.path().join("run").exists(),
        "nothing created on failure"
    );
}

/// The whole data path: a section's ring in daemon-created shared memory,
/// buffers in client-registered shared memory, the doorbell across the
/// process boundary, the response read back from the shared ring.
#[test]
fn a_client_compresses_through_shared_rings_and_registered_memory() {
    let d = TestDaemon::start(ConfigSource::Builtin);
    let mut c = d.connect();
    let mut s = c.section("SSL");
    assert_eq!(s.grant.name, "SSL_INT_0");
    // Built-in, POLICY=0: one VF of each PF; qat_dev0 runs sym;asym (2 Cy
    // instances), qat_dev1 dc (4 Dc instances, one per bank of the VF).
    assert_eq!(s.grant.endpoints.len(), 2);
    let ep = &s.grant.endpoints[1];
    assert_eq!((ep.id, ep.generation, ep.engine_threads), (1, 4, 1));
    let dc = s.of(InstanceKind::Dc);
    assert_eq!((dc.len(), s.grant.instances.len()), (4, 6));
    for i in &dc {
        assert_eq!((i.endpoint, i.polling, i.rings.len()), (1, 1, 1));
        assert_eq!((i.rings[0].in_flight, i.rings[0].slots), (512, 512));
    }
    let offsets: Vec<u64> = s
        .grant
        .instances
        .iter()
        .flat_map(|i| i.rings.iter().map(|r| r.ring_offset))
        .collect();
    assert_eq!(offsets.len(), 8);
    assert!(offsets.iter().all(|o| o % 4096 == 0));
    assert!(offsets.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(s.grant.ring_len % 4096, 0);

    let mem = c.register(IOVA, 1 << 20);
    let data = sample(200_000);
    put(&mem, 0, &data);
    let dc0 = s.dc(0);
    let ring = s.producer(dc0);
    let dst = 0x60000;
    ring.submit(
        &compress_request(
            flat(IOVA, data.len()),
            flat(IOVA + dst, (1 << 20) - 0x60000),
        ),
        41,
    )
    .unwrap();
    s.doorbell(0).ring();
    let (resp, cookie) = one_response(&ring);
    assert_eq!(cookie, 41);
    assert_eq!((resp.cpa_status, dc_result(&resp).status), (CPA_SUCCESS, 0));
    assert_eq!(dc_result(&resp).consumed as usize, data.len());
    assert_eq!(dc_result(&resp).checksum, libdeflater::crc32(&data));
    let out = get(&mem, dst as usize, dc_result(&resp).produced as usize);
    let mut back = vec![0u8; data.len()];
    let n = libdeflater::Decompressor::new()
        .deflate_decompress(&out, &mut back)
        .unwrap();
    assert_eq!(&back[..n], &data[..]);

    // A buffer outside the registered memory: an error response, nothing
    // touched.
    let before = get(&mem, 0, 4096);
    for (src, dstb) in [
        (flat(IOVA, 100), flat(IOVA + (1 << 20), 4096)),
        (flat(IOVA - 4096, 100), flat(IOVA, 4096)),
        (flat(0x1000, 100), flat(IOVA + 8192, 4096)),
    ] {
        ring.submit(&compress_request(src, dstb), 7).unwrap();
        s.doorbell(0).ring();
        let (resp, _) = one_response(&ring);
        assert_eq!(
            dc_result(&resp).status,
            DcStatus::RegionOutOfBounds.code() as i8
        );
        assert_eq!(
            (dc_result(&resp).consumed, dc_result(&resp).produced),
            (0, 0)
        );
    }
    assert_eq!(get(&mem, 0, 4096), before);

    // STATUS counts the requests on qat_dev1 and the section in use (on
    // both endpoints: it has Cy instances on qat_dev0).
    let st = c.status();
    assert_eq!(st[1].sections_in_use, 1);
    assert_eq!(st[0].sections_in_use, 1);
    assert_eq!((st[0].requests, st[0].responses), (0, 0));
    assert_eq!((st[1].requests, st[1].responses), (4, 4));

    // The same name again: the same section and rings, fresh descriptors.
    let again = c.section("SSL");
    assert_eq!(again.grant, s.grant);
    d.wait_held(&["SSL_INT_0"]);
    // Unregistered memory is no longer reachable.
    c.ok(&Request::MemUnregister { iova: IOVA });
    ring.submit(
        &compress_request(flat(IOVA, 100), flat(IOVA + 8192, 4096)),
        8,
    )
    .unwrap();
    s.doorbell(0).ring();
    let (resp, _) = one_response(&ring);
    assert_eq!(
        dc_result(&resp).status,
        DcStatus::RegionOutOfBounds.code() as i8
    );
}

/// (bank, ring pair) of every ring pair of the instances of `kind`, sorted.
fn ring_pairs(s: &Section, kind: InstanceKind) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> = s
        .of(kind)
        .iter()
        .flat_map(|i| i.rings.iter().map(|r| (r.bank, r.ring_pair)))
        .collect();
    v.sort_unstable();
    v
}

/// A section carries its instances of every service: the Cy instances' sym
/// and asym ring pairs are attached on the daemon's qat_dev0 for the holder,
/// next to the Dc ones on qat_dev1 that the client compresses through; all
/// of them go when the client goes.
#[test]
fn a_section_grants_instances_of_every_service() {
    let d = TestDaemon::start(ConfigSource::Builtin);
    let eps = d.daemon().endpoints().to_vec();
    assert!(eps.iter().all(|e| e.rings_in_use().is_empty()));
    let mut c = d.connect();
    let mut s = c.section("SSL");
    assert_eq!(s.grant.name, "SSL_INT_0");
    let ids: Vec<u32> = s.grant.endpoints.iter().map(|e| e.id).collect();
    assert_eq!(ids, [0, 1]);
    // VF0 of qat_dev0: Cy k pairs sym bank 2k+1 with asym bank 2k.
    let cy = s.of(InstanceKind::Cy);
    assert_eq!(cy.len(), 2);
    for (k, i) in cy.iter().enumerate() {
        let k = k as u32;
        assert_eq!(
            (i.name.clone(), i.endpoint, i.polling),
            (format!("cy{k}"), 0, 1)
        );
        let rings: Vec<(RingService, u32, u32, u32)> = i
            .rings
            .iter()
            .map(|r| (r.service, r.bank, r.in_flight, r.slots))
            .collect();
        assert_eq!(
            rings,
            [
                (RingService::Sym, 2 * k + 1, 512, 512),
                (RingService::Asym, 2 * k, 64, 64)
            ]
        );
    }
    assert_eq!(
        s.of(InstanceKind::Sym).len() + s.of(InstanceKind::Asym).len(),
        0
    );
    // Every ring pair is attached on its endpoint, and has its eventfd.
    assert_eq!(eps[0].rings_in_use(), ring_pairs(&s, InstanceKind::Cy));
    assert_eq!(eps[0].rings_in_use(), [(0, 0), (1, 0), (2, 0), (3, 0)]);
    assert_eq!(eps[1].rings_in_use(), ring_pairs(&s, InstanceKind::Dc));
    assert_eq!(s.notify.len(), 2 * 2 + 4);
    let st = c.status();
    assert_eq!((st[0].sections_in_use, st[1].sections_in_use), (1, 1));
    d.log
        .wait_for("-> SSL_INT_0 (6 instances: 4 dc, 2 cy on qat_dev0, qat_dev1)");

    // A second client's section: the next VF's banks on both endpoints.
    let mut c2 = d.connect();
    let s2 = c2.section("SSL");
    assert_eq!(s2.grant.name, "SSL_INT_1");
    assert_eq!(
        ring_pairs(&s2, InstanceKind::Cy),
        [(4, 0), (5, 0), (6, 0), (7, 0)]
    );
    assert_eq!(eps[0].rings_in_use().len(), 8);

    // Compression still goes through the Dc instances.
    let mem = c.register(IOVA, 1 << 20);
    let data = sample(100_000);
    put(&mem, 0, &data);
    let dc3 = s.dc(3);
    let ring = s.producer(dc3);
    ring.submit(
        &compress_request(flat(IOVA, data.len()), flat(IOVA + 0x80000, 0x80000)),
        9,
    )
    .unwrap();
    s.doorbell(dc3).ring();
    let (resp, cookie) = one_response(&ring);
    assert_eq!(
        (cookie, resp.cpa_status, dc_result(&resp).status),
        (9, CPA_SUCCESS, 0)
    );
    assert_eq!(dc_result(&resp).consumed as usize, data.len());
    let out = get(&mem, 0x80000, dc_result(&resp).produced as usize);
    let mut back = vec![0u8; data.len()];
    let n = libdeflater::Decompressor::new()
        .deflate_decompress(&out, &mut back)
        .unwrap();
    assert_eq!(&back[..n], &data[..]);

    // The first client goes: its rings leave both endpoints, the second's
    // stay.
    drop(ring);
    drop(s);
    drop(mem);
    drop(c);
    d.wait_held(&["SSL_INT_1"]);
    assert_eq!(eps[0].rings_in_use(), ring_pairs(&s2, InstanceKind::Cy));
    assert_eq!(eps[1].rings_in_use(), ring_pairs(&s2, InstanceKind::Dc));
    drop(s2);
    drop(c2);
    d.wait_held(&[]);
    assert!(eps.iter().all(|e| e.rings_in_use().is_empty()));
}

/// With one crypto service per endpoint the section's crypto instances are
/// asym (or sym) instances of one ring pair each.
#[test]
fn asym_instances_are_granted_with_their_one_ring_pair() {
    let cfg = TempDir::new("asym");
    let d = TestDaemon::start(managed_file(&cfg, "ServicesEnabled=asym;dc\n"));
    let mut c = d.connect();
    let mut s = c.section("SSL");
    // Each PF: banks 4v and 4v+2 dc, 4v+1 and 4v+3 asym.
    assert_eq!(s.grant.endpoints.len(), 2);
    let asym = s.of(InstanceKind::Asym);
    assert_eq!(asym.len(), 4);
    for i in &asym {
        assert_eq!(i.rings.len(), 1);
        assert_eq!(i.rings[0].service, RingService::Asym);
        assert_eq!((i.rings[0].bank % 2, i.rings[0].in_flight), (1, 64));
    }
    assert_eq!(s.of(InstanceKind::Dc).len(), 4);
    for e in d.daemon().endpoints() {
        assert_eq!(e.rings_in_use(), [(0, 0), (1, 0), (2, 0), (3, 0)]);
    }
    // Compression on qat_dev0, which now runs dc too.
    let mem = c.register(IOVA, 1 << 20);
    let text = b"asym and dc, asym and dc, asym and dc";
    put(&mem, 0, text);
    let dc0 = s.dc(0);
    assert_eq!(s.grant.instances[dc0].endpoint, 0);
    let ring = s.producer(dc0);
    ring.submit(
        &compress_request(flat(IOVA, text.len()), flat(IOVA + 4096, 4096)),
        2,
    )
    .unwrap();
    s.doorbell(dc0).ring();
    let (resp, _) = one_response(&ring);
    assert_eq!((resp.cpa_status, dc_result(&resp).status), (0, 0));
    assert_eq!(dc_result(&resp).consumed as usize, text.len());
}

#[test]
fn a_client_cannot_name_another_clients_memory() {
    let d = TestDaemon::start(ConfigSource::Builtin);
    // Client A registers memory holding a secret at IOVA.
    let mut a = d.connect();
    let _sa = a.section("SSL");
    let secret = sample(4096);
    let mem_a = a.register(IOVA, 1 << 16);
    put(&mem_a, 0, &secret);
    // Client B registers memory elsewhere and names A's addresses.
    let mut b = d.connect();
    let mut sb = b.section("SSL");
    assert_ne!(sb.grant.name, "SSL_INT_0");
    let b_iova = IOVA + (1 << 30);
    let mem_b = b.register(b_iova, 1 << 16);
    let dc0 = sb.dc(0);
    let ring = sb.producer(dc0);
    for (src, dst) in [
        // Read A's secret into B's memory.
        (flat(IOVA, secret.len()), flat(b_iova, 1 << 15)),
        // Write into A's memory from B's.
        (flat(b_iova, 4096), flat(IOVA, 1 << 15)),
    ] {
        ring.submit(&compress_request(src, dst), 5).unwrap();
        sb.doorbell(dc0).ring();
        let (resp, _) = one_response(&ring);
        assert_eq!(
            dc_result(&resp).status,
            DcStatus::RegionOutOfBounds.code() as i8
        );
        assert_eq!(
            (dc_result(&resp).consumed, dc_result(&resp).produced),
            (0, 0)
        );
    }
    assert_eq!(get(&mem_a, 0, secret.len()), secret, "A's memory untouched");
    assert!(
        get(&mem_b, 0, 1 << 15).iter().all(|&x| x == 0),
        "nothing of A's reached B"
    );
}

#[test]
fn memory_registration_refuses_what_could_hurt_the_daemon() {
    let d = TestDaemon::start_with(ConfigSource::Builtin, |o| o.max_client_memory = 1 << 20);
    let mut c = d.connect();
    let reg = |iova: u64, len: u64| Request::MemRegister { iova, len };

    // An unsealed memfd could be truncated under the daemon's mapping.
    let open = SharedMemory::create("unsealed", 65536).unwrap();
    let (st, msg) = c.error(&reg(IOVA, 65536), &[open.fd()]);
    assert_eq!(st, CPA_INVALID_PARAM);
    assert!(
        msg.contains("seal the memfd's size (F_SEAL_SHRINK|F_SEAL_GROW)"),
        "{msg}"
    );

    let sealed = SharedMemory::create("sealed", 65536).unwrap();
    sealed.seal_size().unwrap();
    // No descriptor, two descriptors.
    let (st, msg) = c.error(&reg(IOVA, 65536), &[]);
    assert_eq!(st, CPA_INVALID_PARAM);
    assert!(msg.contains("exactly one descriptor"), "{msg}");
    let (st, _) = c.error(&reg(IOVA, 65536), &[sealed.fd(), sealed.fd()]);
    assert_eq!(st, CPA_INVALID_PARAM);
    // Zero length, zero IOVA, wrapping range, longer than the file.
    for (iova, len, want) in [
        (IOVA, 0, "0 bytes"),
        (0, 65536, "IOVA 0"),
        (u64::MAX - 100, 65536, "end of the address space"),
        (IOVA, 65536 * 2, "at least 131072 bytes"),
    ] {
        let (st, msg) = c.error(&reg(iova, len), &[sealed.fd()]);
        assert_eq!(st, CPA_INVALID_PARAM, "{msg}");
        assert!(msg.contains(want), "{want}: {msg}");
    }
    // More than this client may register.
    let (st, msg) = c.error(&reg(IOVA, 2 << 20), &[sealed.fd()]);
    assert_eq!(st, CPA_RESOURCE);
    assert!(msg.contains("--max-client-memory"), "{msg}");
    // Not a memfd: an eventfd, a pipe.
    let e = EventFd::new().unwrap();
    let (st, _) = c.error(&reg(IOVA, 8), &[e.as_fd()]);
    assert_eq!(st, CPA_INVALID_PARAM);
    let (r, _w) = UnixStream::pair().unwrap();
    let (st, _) = c.error(&reg(IOVA, 8), &[r.as_fd()]);
    assert_eq!(st, CPA_INVALID_PARAM);

    // A good one, then an overlapping one.
    expect_ok(&c.call(&reg(IOVA, 65536), &[sealed.fd()]));
    let (st, msg) = c.error(&reg(IOVA + 4096, 4096), &[sealed.fd()]);
    assert_eq!(st, CPA_INVALID_PARAM);
    assert!(msg.contains("overlap"), "{msg}");
    // The budget counts what is registered; unregistering gives it back.
    let big = SharedMemory::create("big", 1 << 20).unwrap();
    big.seal_size().unwrap();
    let (st, _) = c.error(&reg(IOVA * 2, 1 << 20), &[big.fd()]);
    assert_eq!(st, CPA_RESOURCE);
    c.ok(&Request::MemUnregister { iova: IOVA });
    expect_ok(&c.call(&reg(IOVA * 2, 1 << 20), &[big.fd()]));
    let (st, msg) = c.error(&Request::MemUnregister { iova: IOVA }, &[]);
    assert_eq!(st, CPA_INVALID_PARAM);
    assert!(msg.contains("no memory is registered"), "{msg}");
    // Still serving.
    c.status();
}

#[test]
fn sections_run_out_by_policy_and_come_back_when_a_client_goes() {
    let cfg = TempDir::new("policy");
    let d = TestDaemon::start(managed_file(&cfg, "POLICY=16\n"));
    let mut a = d.connect();
    let mut b = d.connect();
    let mut c = d.connect();
    let sa = a.section("SSL");
    let sb = b.section("SSL");
    assert_eq!(
        (sa.grant.name.as_str(), sb.grant.name.as_str()),
        ("SSL_INT_0", "SSL_INT_1")
    );
    // POLICY=16: 8 VFs of each PF per section, 4 dc banks per VF of
    // qat_dev1, 2 Cy instances (a sym and an asym bank each) per VF of
    // qat_dev0.
    assert_eq!(sa.of(InstanceKind::Dc).len(), 32);
    assert_eq!(sa.of(InstanceKind::Cy).len(), 16);
    assert_eq!(sa.grant.ring_count(), 64);
    let rings = |s: &Section| -> Vec<(u32, u32)> {
        s.grant
            .instances
            .iter()
            .flat_map(|i| i.rings.iter().map(move |r| (i.endpoint, r.bank)))
            .collect()
    };
    let (ra, rb) = (rings(&sa), rings(&sb));
    assert!(ra.iter().all(|x| !rb.contains(x)), "sections share no ring");

    let (st, msg) = c.error(&Request::SectionGet { name: "SSL".into() }, &[]);
    assert_eq!(st, CPA_RESOURCE);
    assert!(msg.contains("all 2 sections for [SSL] are in use"), "{msg}");
    assert!(msg.contains("POLICY=16"), "{msg}");
    assert!(msg.contains("POLICY=1 in"), "{msg}");
    assert_eq!(c.status()[1].sections_in_use, 2);

    // A leaves without a word: its section is freed, C gets it.
    drop(sa);
    drop(a);
    d.wait_held(&["SSL_INT_1"]);
    d.log.wait_for("disconnected: released SSL_INT_0");
    let sc = c.section("SSL");
    assert_eq!(sc.grant.name, "SSL_INT_0");
    // B puts its section back.
    assert_eq!(
        b.ok(&Request::SectionPut { name: "SSL".into() }),
        "released SSL_INT_1"
    );
    d.wait_held(&["SSL_INT_0"]);
    let (st, msg) = b.error(&Request::SectionPut { name: "SSL".into() }, &[]);
    assert_eq!(st, CPA_INVALID_PARAM);
    assert!(msg.contains("holds no section"), "{msg}");
    let sb2 = b.section("OTHER");
    assert_eq!(
        sb2.grant.name, "SSL_INT_1",
        "managed mode: any name, SSL_INT_<i>"
    );
    d.wait_held(&["SSL_INT_0", "SSL_INT_1"]);
    // Bad names are refused with the configuration's reason.
    let (st, msg) = b.error(
        &Request::SectionGet {
            name: String::new(),
        },
        &[],
    );
    assert_eq!(st, CPA_INVALID_PARAM, "{msg}");
}

#[test]
fn requests_in_flight_when_a_client_vanishes_hurt_no_one() {
    let d = TestDaemon::start(ConfigSource::Builtin);
    for round in 0..3 {
        let mut c = d.connect();
        let mut s = c.section("SSL");
        let mem = c.register(IOVA, 4 << 20);
        put(&mem, 0, &sample(1 << 20));
        let dc0 = s.dc(0);
        let ring = s.producer(dc0);
        for k in 0..32 {
            ring.submit(
                &compress_request(flat(IOVA, 1 << 20), flat(IOVA + (2 << 20), 1 << 20)),
                k,
            )
            .unwrap();
        }
        s.doorbell(dc0).ring();
        drop(ring);
        drop(s);
        drop(mem);
        drop(c);
        d.wait_held(&[]);
        // The endpoint still serves the next client.
        let mut c2 = d.connect();
        let mut s2 = c2.section("SSL");
        assert_eq!(s2.grant.name, "SSL_INT_0", "round {round}");
        let m2 = c2.register(IOVA, 1 << 20);
        put(&m2, 0, b"hello hello hello hello");
        let dc1 = s2.dc(1);
        let r2 = s2.producer(dc1);
        r2.submit(
            &compress_request(flat(IOVA, 23), flat(IOVA + 4096, 4096)),
            1,
        )
        .unwrap();
        s2.doorbell(dc1).ring();
        let (resp, _) = one_response(&r2);
        assert_eq!((resp.cpa_status, dc_result(&resp).status), (0, 0));
        drop(c2);
        d.wait_held(&[]);
    }
}

#[test]
fn control_changes_state_and_holders_get_events() {
    // POLICY=1: SSL_INT_0 is VF0 of qat_dev0 (Cy instances only), SSL_INT_1
    // VF0 of qat_dev1 (Dc instances only).
    let cfg = TempDir::new("events");
    let d = TestDaemon::start(managed_file(&cfg, "POLICY=1\n"));
    let mut other = d.connect();
    let s0 = other.section("SSL");
    assert_eq!(s0.grant.name, "SSL_INT_0");
    let mut holder = d.connect();
    let s = holder.section("SSL"); // instances on qat_dev1 only
    assert_eq!(s.grant.name, "SSL_INT_1");
    assert_eq!(s.grant.endpoints.len(), 1);
    let mut admin = d.connect();

    let down0 = Request::Control {
        verb: Verb::Down,
        endpoint: Some(0),
    };
    assert_eq!(admin.ok(&down0), "qat_dev0: down");
    let msg = admin.ok(&Request::Control {
        verb: Verb::Down,
        endpoint: Some(1),
    });
    assert_eq!(msg, "qat_dev1: down");
    // Only the event of qat_dev1 reaches the holder; the holder of Cy
    // instances on qat_dev0 gets that one's.
    assert_eq!(holder.next_event(), (1, InstanceEvent::Restarting));
    assert_eq!(other.next_event(), (0, InstanceEvent::Restarting));
    let st = admin.status();
    assert!(st[1].line.ends_with("state: down"), "{}", st[1].line);
    assert_eq!(st[1].state, 0);
    let msg = admin.ok(&Request::Control {
        verb: Verb::Up,
        endpoint: None,
    });
    assert_eq!(msg, "qat_dev0: up\nqat_dev1: up");
    assert_eq!(holder.next_event(), (1, InstanceEvent::Restarted));
    admin.ok(&Request::Control {
        verb: Verb::Reset,
        endpoint: Some(1),
    });
    assert_eq!(holder.next_event(), (1, InstanceEvent::Restarting));
    assert_eq!(holder.next_event(), (1, InstanceEvent::Restarted));
    // The holder asking itself: its events come before its reply.
    let msg = holder.ok(&Request::Control {
        verb: Verb::Restart,
        endpoint: Some(1),
    });
    assert_eq!(msg, "qat_dev1: up");
    assert_eq!(
        holder.events,
        vec![
            (1, InstanceEvent::Restarting),
            (1, InstanceEvent::Restarted)
        ]
    );
    holder.events.clear();

    let (st, msg) = admin.error(
        &Request::Control {
            verb: Verb::Up,
            endpoint: Some(7),
        },
        &[],
    );
    assert_eq!(st, CPA_INVALID_PARAM);
    assert!(
        msg.contains("no endpoint qat_dev7: the endpoints are qat_dev0, qat_dev1"),
        "{msg}"
    );
    d.log.wait_for("down qat_dev1");
}

/// Connects with effective uid `uid` (this thread only), so SO_PEERCRED
/// names another user. Needs root.
fn connect_as(socket: &std::path::Path, uid: u32) -> Client {
    let socket = socket.to_path_buf();
    std::thread::spawn(move || {
        // SAFETY: raw setresuid changes the credentials of this thread only
        // (unlike libc's setresuid, which changes every thread); the saved
        // uid stays 0, so the thread could switch back, and it ends anyway.
        let r = unsafe { libc::syscall(libc::SYS_setresuid, u32::MAX, uid, u32::MAX) };
        assert_eq!(r, 0, "setresuid: {}", std::io::Error::last_os_error());
        let stream = UnixStream::connect(&socket).unwrap();
        Client::from_stream(stream)
    })
    .join()
    .unwrap()
}

#[test]
fn control_is_for_root_or_the_daemons_user_only() {
    let d = TestDaemon::start(ConfigSource::Builtin);
    let mut me = d.connect();
    // Root (or the daemon's own user) may.
    me.ok(&Request::Control {
        verb: Verb::Restart,
        endpoint: Some(0),
    });
    // SAFETY: getuid cannot fail.
    if unsafe { libc::getuid() } != 0 {
        eprintln!("not root: cannot connect as another user; refusal not tested");
        return;
    }
    let socket = d.daemon().socket_path().to_path_buf();
    std::fs::set_permissions(&socket, std::fs::Permissions::from_mode(0o666)).unwrap();
    let mut other = connect_as(&socket, 65534);
    d.log.wait_for("uid 65534");
    let (st, msg) = other.error(
        &Request::Control {
            verb: Verb::Down,
            endpoint: None,
        },
        &[],
    );
    assert_eq!(st, CPA_FAIL);
    assert!(msg.starts_with("permission denied"), "{msg}");
    assert!(msg.contains("uid 65534"), "{msg}");
    // Nothing changed; it may still look, and use sections.
    let st = other.status();
    assert!(st.iter().all(|s| s.state == 1));
    let _s = other.section("SSL");
    d.log.wait_for("refused (uid 65534)");
}

#[test]
fn garbage_on_the_socket_gets_an_error_and_hurts_no_other_client() {
    let d = TestDaemon::start(ConfigSource::Builtin);
    let mut good = d.connect();
    let _s = good.section("SSL");

    // Not our protocol at all: an ERROR naming the versions, then closed.
    let mut g = d.connect();
    (&g.stream)
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let (st, msg) = expect_error(&g.reply());
    assert_eq!(st, CPA_INVALID_PARAM);
    assert!(msg.contains("protocol version"), "{msg}");
    assert!(g.closed());

    // A body longer than allowed: ERROR, then closed.
    let mut g = d.connect();
    let mut hdr = Vec::new();
    hdr.extend_from_slice(&u32::MAX.to_le_bytes());
    hdr.extend_from_slice(&proto::VERSION.to_le_bytes());
    hdr.extend_from_slice(&kind::STATUS.to_le_bytes());
    (&g.stream).write_all(&hdr).unwrap();
    let (st, msg) = expect_error(&g.reply());
    assert_eq!(st, CPA_INVALID_PARAM);
    assert!(msg.contains("longer than"), "{msg}");
    assert!(g.closed());

    // Bodies that do not decode and unknown kinds: ERROR, connection kept.
    let mut g = d.connect();
    for (k, body) in [
        (kind::SECTION_GET, vec![200u8, 0, 0, 0, b'x']),
        (kind::SECTION_GET, vec![1u8]),
        (kind::CONTROL, vec![9u8, 0, 0, 0, 0]),
        (kind::MEM_REGISTER, vec![0u8; 3]),
        (kind::STATUS, vec![1u8]),
        (77, vec![]),
        (kind::OK, vec![]),
        (kind::SECTION_GET, vec![2, 0, 0, 0, 0xff, 0xfe]),
    ] {
        g.send_raw(k, &body, &[]);
        let (st, msg) = expect_error(&g.reply());
        assert_eq!(st, CPA_INVALID_PARAM, "kind {k}: {msg}");
    }
    // Descriptors on a request that takes none are refused (and closed).
    let e = EventFd::new().unwrap();
    g.send_raw(kind::STATUS, &[], &[e.as_fd()]);
    let (st, msg) = expect_error(&g.reply());
    assert_eq!(st, CPA_INVALID_PARAM);
    assert!(msg.contains("carries no descriptors"), "{msg}");
    assert_eq!(g.status().len(), 2);

    // A header cut short, then the client vanishes.
    let g = d.connect();
    (&g.stream).write_all(&[1, 0, 0]).unwrap();
    drop(g);

    // The good client never noticed.
    assert_eq!(good.status()[1].sections_in_use, 1);
    let again = good.section("SSL");
    assert_eq!(again.grant.name, "SSL_INT_0");
    assert!(good.events.is_empty());
}

#[test]
fn endpoint_files_limit_sections_by_num_processes() {
    let cfg = TempDir::new("files");
    cfg.file(
        "c6xx_dev0.conf",
        "[GENERAL]\nServicesEnabled = dc\nConfigVersion = 2\nDcNumConcurrentRequests = 512\n\n\
         [KERNEL]\nNumberCyInstances = 0\nNumberDcInstances = 0\n\n\
         [SSL]\nNumberCyInstances = 0\nNumberDcInstances = 2\nNumProcesses = 2\nLimitDevAccess = 0\n\
         Dc0Name = \"Dc0\"\nDc0IsPolled = 1\nDc0CoreAffinity = 0\n\
         Dc1Name = \"Dc1\"\nDc1IsPolled = 2\nDc1CoreAffinity = 1\n",
    );
    let d = TestDaemon::start(ConfigSource::Dir(cfg.path().to_path_buf()));
    assert!(d.daemon().summary().contains("endpoint files in"));
    let mut a = d.connect();
    let mut b = d.connect();
    let mut c = d.connect();
    let mut sa = a.section("SSL");
    let sb = b.section("SSL");
    assert_eq!(
        (sa.grant.name.as_str(), sb.grant.name.as_str()),
        ("SSL_INT_0", "SSL_INT_1")
    );
    let ep = &sa.grant.endpoints[0];
    assert_eq!(
        (
            ep.class_name.as_str(),
            ep.generation,
            ep.ring_pairs_per_bank
        ),
        ("c6xx", 2, 8)
    );
    let names: Vec<(&str, u8)> = sa
        .grant
        .instances
        .iter()
        .map(|i| (i.name.as_str(), i.polling))
        .collect();
    assert_eq!(names, vec![("Dc0", 1), ("Dc1", 2)]);
    let (st, msg) = c.error(&Request::SectionGet { name: "SSL".into() }, &[]);
    assert_eq!(st, CPA_RESOURCE);
    assert!(
        msg.contains("all 2 sections for [SSL]") && msg.contains("raise NumProcesses in [SSL]"),
        "{msg}"
    );
    let (st, msg) = c.error(&Request::SectionGet { name: "ssl".into() }, &[]);
    assert_eq!(st, CPA_INVALID_PARAM);
    assert!(msg.contains("SSL"), "{msg}");

    // Gen2 data path: ring pairs share banks; still just works.
    let mem = a.register(IOVA, 1 << 20);
    let data = sample(50_000);
    put(&mem, 0, &data);
    let dc1 = sa.dc(1);
    let ring = sa.producer(dc1);
    ring.submit(
        &compress_request(flat(IOVA, data.len()), flat(IOVA + 0x80000, 0x80000)),
        3,
    )
    .unwrap();
    sa.doorbell(dc1).ring();
    let (resp, _) = one_response(&ring);
    assert_eq!(
        (resp.cpa_status, dc_result(&resp).consumed as usize),
        (0, data.len())
    );
}

#[test]
fn a_client_that_never_reads_is_dropped_without_stalling_others() {
    let d = TestDaemon::start(ConfigSource::Builtin);
    let mut stuck = d.connect();
    let _s = stuck.section("SSL");
    let mut admin = d.connect();
    // Requests whose replies it never reads: the daemon's writes block, time
    // out after a second, and the client is disconnected.
    stuck
        .stream
        .set_write_timeout(Some(std::time::Duration::from_secs(3)))
        .unwrap();
    let (k, body) = Request::Status.encode();
    let mut frame = Vec::new();
    frame.extend_from_slice(&(body.len() as u32).to_le_bytes());
    frame.extend_from_slice(&proto::VERSION.to_le_bytes());
    frame.extend_from_slice(&k.to_le_bytes());
    let many: Vec<u8> = frame
        .iter()
        .copied()
        .cycle()
        .take(frame.len() * 20_000)
        .collect();
    let _ = (&stuck.stream).write_all(&many);
    // Meanwhile others are served, and control completes (an event to the
    // stuck holder waits at most the send timeout).
    let start = std::time::Instant::now();
    assert_eq!(admin.status().len(), 2);
    admin.ok(&Request::Control {
        verb: Verb::Down,
        endpoint: Some(1),
    });
    admin.ok(&Request::Control {
        verb: Verb::Up,
        endpoint: Some(1),
    });
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    d.wait_held(&[]);
    let line = d.log.wait_for("released SSL_INT_0");
    assert!(line.contains("disconnected ("), "{line}");
    // Its section is free again.
    assert_eq!(admin.section("SSL").grant.name, "SSL_INT_0");
}

#[test]
fn the_daemon_can_move_between_threads() {
    fn check<T: Send>() {}
    check::<Daemon>();
}

/// Reads what a connection the daemon refused or closed was told: (CPA
/// status, reason); panics if it says nothing within 10 s or does not close.
fn told(c: &mut Client) -> (i32, String) {
    let f = c.reply();
    assert_eq!(
        f.kind,
        kind::CLOSING,
        "expected CLOSING, got kind {}",
        f.kind
    );
    let said = proto::decode_closing(&f.body).unwrap();
    assert!(c.closed(), "still open after CLOSING");
    said
}

#[test]
fn connections_beyond_the_limits_are_told_why_and_closed() {
    let d = TestDaemon::start_with(ConfigSource::Builtin, |o| {
        o.max_connections = 3;
        o.max_connections_per_pid = 0;
    });
    assert!(d
        .daemon()
        .summary()
        .contains("connections: at most 3 (1024 per uid, no limit per pid)"));
    let mut held: Vec<Client> = (0..3).map(|_| d.connect()).collect();
    let mut extra = d.connect();
    let (st, why) = told(&mut extra);
    assert_eq!(st, CPA_RESOURCE);
    assert!(
        why.starts_with("refused the connection: softqatd serves 3 connections")
            && why.contains("--max-connections"),
        "{why}"
    );
    d.log.wait_for("refused: softqatd serves 3 connections");
    // The held ones are served; when one goes, there is room again.
    assert_eq!(held[0].status().len(), 2);
    drop(held.pop());
    let start = std::time::Instant::now();
    loop {
        let mut c = d.connect();
        c.send_raw(kind::STATUS, &[], &[]);
        let f = c.reply();
        if f.kind == kind::STATUS_REPLY {
            break;
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }

    let d = TestDaemon::start_with(ConfigSource::Builtin, |o| o.max_connections_per_pid = 2);
    let _a = d.connect();
    let _b = d.connect();
    let (st, why) = told(&mut d.connect());
    assert_eq!(st, CPA_RESOURCE);
    assert!(
        why.contains(&format!(
            "too many connections from pid {} (limit 2)",
            std::process::id()
        )),
        "{why}"
    );
}

#[test]
fn only_connections_holding_nothing_are_closed_when_idle() {
    let d = TestDaemon::start_with(ConfigSource::Builtin, |o| {
        o.idle_timeout = Some(std::time::Duration::from_millis(300))
    });
    let mut with_section = d.connect();
    let _s = with_section.section("SSL");
    let mut with_memory = d.connect();
    let _m = with_memory.register(IOVA, 65536);
    let mut idle = d.connect();
    let mut busy = d.connect();
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_millis(1200) {
        assert_eq!(busy.status().len(), 2);
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (st, why) = told(&mut idle);
    assert_eq!(st, CpaStatus::Retry.code());
    assert!(
        why.starts_with(
            "closed the connection: it was idle for 0.3 s holding no section and no memory"
        ),
        "{why}"
    );
    d.log
        .wait_for("disconnected (idle for 0.3 s, holding nothing)");
    assert_eq!(with_section.status()[1].sections_in_use, 1);
    assert_eq!(with_memory.status().len(), 2);
    // Once it gives its section back it holds nothing, and goes the same way.
    with_section.ok(&Request::SectionPut { name: "SSL".into() });
    let (st, _) = told(&mut with_section);
    assert_eq!(st, CpaStatus::Retry.code());
    assert_eq!(with_memory.status().len(), 2);
}

/// Out of descriptors, a new connection is still told why it cannot be
/// served (the daemon keeps a spare descriptor for this). Runs in a child
/// process, whose descriptor limit it lowers.
#[test]
fn out_of_descriptors_a_new_connection_is_told_so() {
    const ROLE: &str = "SOFTQATD_TEST_FD_CHILD";
    if std::env::var_os(ROLE).is_none() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "out_of_descriptors_a_new_connection_is_told_so",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ROLE, "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("CHILD-OK"),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    let d = TestDaemon::start(ConfigSource::Builtin);
    let mut first = d.connect();
    assert_eq!(first.status().len(), 2);
    let (_, hard) = softqat_device::ipc::descriptor_limit().unwrap();
    let set = |soft: u64| {
        let rl = libc::rlimit {
            rlim_cur: soft as libc::rlim_t,
            rlim_max: hard as libc::rlim_t,
        };
        // SAFETY: setrlimit reads one live rlimit.
        assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &rl) }, 0);
    };
    // Room for the client's end only: the daemon's accept fails with
    // EMFILE, and it gives up its spare descriptor to say so.
    set(limit_leaving(1));
    let stream = UnixStream::connect(d.daemon().socket_path());
    let said = stream.map(|s| {
        let mut c = Client::from_stream(s);
        let f = c.reply();
        (f.kind, proto::decode_closing(&f.body))
    });
    set(hard);
    let (k, said) = said.expect("connect");
    assert_eq!(k, kind::CLOSING);
    let (st, why) = said.unwrap();
    assert_eq!(st, CPA_RESOURCE);
    assert!(
        why.starts_with("refused the connection: softqatd is out of descriptors")
            && why.contains("LimitNOFILE"),
        "{why}"
    );
    // It recovers: the spare is back, and new clients are served.
    assert_eq!(first.status().len(), 2);
    assert_eq!(d.connect().status().len(), 2);
    d.log.wait_for("refused: softqatd is out of descriptors");
    println!("CHILD-OK");
}

/// The descriptor limit that leaves exactly `free` descriptor numbers
/// unused below it (the kernel hands out the lowest free number, and the
/// limit bounds numbers, not counts).
fn limit_leaving(free: u64) -> u64 {
    let mut left = free;
    for fd in 0..1 << 20 {
        // SAFETY: F_GETFD only asks whether the number is in use.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } < 0 {
            if left == 0 {
                return fd as u64;
            }
            left -= 1;
        }
    }
    unreachable!("a million descriptors in use")
}

#[test]
fn at_a_limit_an_idle_connection_holding_nothing_makes_room() {
    // Idle timeout 0.4 s: a connection idle for 0.2 s may give way.
    let d = TestDaemon::start_with(ConfigSource::Builtin, |o| {
        o.max_connections_per_pid = 2;
        o.idle_timeout = Some(std::time::Duration::from_millis(400));
    });
    let mut holder = d.connect();
    let _m = holder.register(IOVA, 65536);
    let mut idle = d.connect();
    std::thread::sleep(std::time::Duration::from_millis(250));
    let mut newcomer = d.connect();
    assert_eq!(newcomer.status().len(), 2);
    let (st, why) = told(&mut idle);
    assert_eq!(st, CpaStatus::Retry.code());
    assert!(
        why.contains("holding no section and no memory, and softqatd needed its place"),
        "{why}"
    );
    d.log.wait_for("holding nothing: closed to make room");
    // The one holding memory stays; the newcomer is too fresh to give way:
    // the next one is refused.
    let (st, why) = told(&mut d.connect());
    assert_eq!(st, CPA_RESOURCE);
    assert!(why.contains("(limit 2)"), "{why}");
    assert_eq!(holder.status().len(), 2);
}
