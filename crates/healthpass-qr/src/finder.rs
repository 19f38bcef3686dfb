//! Counting finder-pattern candidates before a decoder groups them.

/// Finder-pattern candidates (see [`finder_candidates`]) allowed per QR code an image may hold.
/// A cleanly rendered code shows 9 (three patterns, each seen in up to three cells); the default
/// 16 codes an image allow 192, at which rqrr's worst case stays within seconds per megapixel.
pub(super) const FINDER_CANDIDATES_PER_CODE: usize = 12;

/// Estimates how many finder patterns rqrr will consider, in one pass over the thresholded image
/// and without allocating per pixel, stopping once the count passes `stop_after`.
///
/// rqrr's grouping of finder patterns into codes costs a copy of the whole image for each
/// candidate pair, so an image tiled with finder patterns keeps it busy for minutes (600 × 600
/// pixels: 107 s). This scans rows as rqrr does for the 1:1:3:1:1 run sequence (with rqrr's
/// tolerance, and either polarity, so that it counts at least what rqrr finds) and counts the
/// distinct places, in cells of one module, where a sequence's centre lies.
pub(super) fn finder_candidates<P: PartialEq + Copy>(
    width: usize,
    height: usize,
    pixel: impl Fn(usize, usize) -> P,
    stop_after: usize,
) -> usize {
    let row_runs = |y: usize, runs: &mut Vec<usize>| {
        runs.clear();
        if width == 0 {
            return;
        }
        let (mut last, mut run) = (pixel(0, y), 1);
        for x in 1..width {
            let colour = pixel(x, y);
            if colour == last {
                run += 1;
            } else {
                runs.push(run);
                (last, run) = (colour, 1);
            }
        }
        runs.push(run);
    };
    finder_candidates_in_runs(height, row_runs, &pixel, stop_after)
}

/// [`finder_candidates`] over rows given as run lengths (`row_runs(y, runs)` fills the lengths
/// of row `y`'s runs of one colour, left to right), so that a bit matrix is read a word at a
/// time; `pixel` answers the column checks.
pub(super) fn finder_candidates_in_runs<P: PartialEq + Copy>(
    height: usize,
    mut row_runs: impl FnMut(usize, &mut Vec<usize>),
    pixel: &impl Fn(usize, usize) -> P,
    stop_after: usize,
) -> usize {
    let mut cells = std::collections::HashSet::new();
    let mut row = Vec::new();
    for y in 0..height {
        row_runs(y, &mut row);
        let (mut x, mut window) = (0usize, [0usize; 5]);
        // Each run's end is a change of colour; the row's end counts as one, as in rqrr.
        for (ended, &run) in row.iter().enumerate() {
            x = x.saturating_add(run);
            let [_, b, c, d, e] = window;
            window = [b, c, d, e, run];
            if ended < 4 {
                continue;
            }
            let [a, b, c, d, e] = window;
            let unit = (a + b + d + e) / 4;
            let err = unit * 3 / 4;
            let fits = |len: usize, k: usize| len + err >= k * unit && len <= k * unit + err;
            if fits(a, 1) && fits(b, 1) && fits(c, 3) && fits(d, 1) && fits(e, 1) {
                let centre = x.saturating_sub(e + d + c / 2);
                // The same check down the column through the centre, as a finder pattern is
                // square; it also tells where the pattern's centre lies vertically.
                let limit = (a + b + c + d + e).saturating_mul(2);
                let Some(middle) = vertical_centre(pixel, centre, y, height, limit) else { continue };
                let unit = unit.max(1);
                cells.insert((centre / unit, middle / unit));
                if cells.len() > stop_after {
                    return cells.len();
                }
            }
        }
    }
    cells.len()
}

/// Where the column through (`x`, `y`) crosses a 1:1:3:1:1 sequence centred on `y`'s run:
/// its vertical centre, or `None`. No run is followed further than `limit` pixels.
fn vertical_centre<P: PartialEq + Copy>(
    pixel: &impl Fn(usize, usize) -> P,
    x: usize,
    y: usize,
    height: usize,
    limit: usize,
) -> Option<usize> {
    // Lengths of the three runs above y (stone part, gap, ring) and below, the stone's own run
    // counted from y itself.
    let runs = |down: bool| -> [usize; 3] {
        let mut out = [0usize; 3];
        let mut at = y;
        let mut colour = pixel(x, y);
        for slot in &mut out {
            let mut len = 0;
            loop {
                let next = if down { at.checked_add(1).filter(|&n| n < height) } else { at.checked_sub(1) };
                match next {
                    Some(n) if pixel(x, n) == colour && len < limit => {
                        at = n;
                        len += 1;
                    }
                    Some(n) => {
                        // This run ends: the next one starts at n, in its colour.
                        *slot = len + 1;
                        at = n;
                        colour = pixel(x, n);
                        break;
                    }
                    None => {
                        *slot = len + 1;
                        return out;
                    }
                }
            }
        }
        out
    };
    let [stone_up, gap_up, ring_up] = runs(false);
    let [stone_down, gap_down, ring_down] = runs(true);
    let stone = stone_up + stone_down - 1;
    let unit = (gap_up + ring_up + gap_down + ring_down) / 4;
    let err = unit * 3 / 4;
    let fits = |len: usize, k: usize| len + err >= k * unit && len <= k * unit + err;
    (fits(ring_up, 1) && fits(gap_up, 1) && fits(stone, 3) && fits(gap_down, 1) && fits(ring_down, 1))
        .then(|| (y + 1 + stone_down).saturating_sub(stone_up + stone_down) + stone / 2)
}
