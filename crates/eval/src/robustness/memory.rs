//! A process's peak memory over a stretch of work, from Linux's `/proc/self`: writing `5` to
//! `clear_refs` resets the peak resident set (`VmHWM`) to the current one, so the peak read
//! afterwards is the stretch's own. Elsewhere both give `None`.

/// Resets the peak to the current resident set and returns it, in kB.
pub(crate) fn reset_peak_kb() -> Option<u64> {
    std::fs::write("/proc/self/clear_refs", "5").ok()?;
    status_kb("VmHWM:")
}

/// The peak resident set since the last reset (or since the start), in kB.
pub(crate) fn peak_kb() -> Option<u64> {
    status_kb("VmHWM:")
}

fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// One measurement: the peak rises by what the stretch touched, and a reset brings it back
    /// down. Other tests of this process load models at the same time, which can move the
    /// figures; so it is tried a few times, and must hold once.
    fn measure() -> Result<(), String> {
        let before = reset_peak_kb().expect("Linux has clear_refs");
        let mut block = vec![0u8; 64 << 20];
        // Touch every page so that it is resident.
        for page in block.chunks_mut(4096) {
            page[0] = 1;
        }
        let during = peak_kb().unwrap();
        if during < before + 60_000 {
            return Err(format!("{before} kB, then {during} kB"));
        }
        drop(std::hint::black_box(block));
        let after = reset_peak_kb().unwrap();
        if after + 60_000 > during {
            return Err(format!("{during} kB, reset to {after} kB"));
        }
        Ok(())
    }

    #[test]
    fn the_peak_of_a_stretch_is_its_own() {
        let mut failures = Vec::new();
        for _ in 0..5 {
            match measure() {
                Ok(()) => return,
                Err(why) => failures.push(why),
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        panic!("never held: {failures:?}");
    }
}
