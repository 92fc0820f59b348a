//! Known-answer tests for the checksums, from `tests/data/checksum_vectors.txt`
//! (each vector's source is named there), plus chaining across split points.

use softqat_engine::checksum::{adler32, crc32, xxhash32, Xxh32State};

/// The xxHash reference self-test buffer (see the data file).
fn sanity_buffer(n: usize) -> Vec<u8> {
    let mut gen: u64 = 2_654_435_761;
    (0..n)
        .map(|_| {
            let b = (gen >> 56) as u8;
            gen = gen.wrapping_mul(11_400_714_785_074_694_797);
            b
        })
        .collect()
}

fn input(spec: &str) -> Vec<u8> {
    if let Some(t) = spec.strip_prefix("ascii:") {
        t.replace('_', " ").into_bytes()
    } else if let Some(n) = spec.strip_prefix("sanity:") {
        sanity_buffer(n.parse().unwrap())
    } else if let Some(n) = spec.strip_prefix("zeros:") {
        vec![0; n.parse().unwrap()]
    } else {
        panic!("bad input spec {spec}")
    }
}

#[test]
fn vectors_from_data_file() {
    let text = include_str!("data/checksum_vectors.txt");
    let mut n = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (algo, seed, data, want) = (
            f[0],
            f[1].parse::<u32>().unwrap(),
            input(f[2]),
            u32::from_str_radix(f[3], 16).unwrap(),
        );
        let got = match algo {
            "crc32" => crc32(seed, &data),
            "adler32" => adler32(seed, &data),
            "xxh32" => {
                let mut st = Xxh32State::new(seed);
                for chunk in data.chunks(5) {
                    st.update(chunk);
                }
                assert_eq!(st.digest(), xxhash32(seed, &data), "{line}: streaming");
                xxhash32(seed, &data)
            }
            other => panic!("unknown algorithm {other}"),
        };
        assert_eq!(got, want, "{line}: got {got:08x}");
        n += 1;
    }
    assert_eq!(n, 17, "every vector line was read");
}

#[test]
fn chaining_at_every_split() {
    let data = sanity_buffer(1000);
    let whole = (crc32(0, &data), adler32(1, &data));
    for split in 0..=data.len() {
        let (a, b) = data.split_at(split);
        assert_eq!(
            (crc32(crc32(0, a), b), adler32(adler32(1, a), b)),
            whole,
            "split {split}"
        );
    }
    // Three-way chaining with the seeds carried the way stateless requests
    // carry `results.checksum`.
    let mut c = 0;
    let mut a = 1;
    let mut x = Xxh32State::new(0);
    for part in data.chunks(333) {
        c = crc32(c, part);
        a = adler32(a, part);
        x.update(part);
    }
    assert_eq!((c, a, x.digest()), (whole.0, whole.1, xxhash32(0, &data)));
}
