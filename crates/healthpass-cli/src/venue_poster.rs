//! `venue issue --png/--terminal`: the venue's poster (`healthpass_scenarios::poster`), its
//! name and region in words beside the code, written as PNG or drawn on standard error.

use std::path::Path;

use chrono::{DateTime, Utc};
use healthpass::fs::{Mode, write_atomic};
use healthpass_scenarios::poster::Poster;
use healthpass_scenarios::venue::Venue;

use crate::common::Failure;

/// Writes the poster of `code` to `png` and draws it on standard error when `terminal` is set
/// (black on white on a terminal, plain half blocks otherwise, as `issue --terminal`).
pub(crate) fn write(
    code: &str,
    venue: &Venue,
    expires_at: DateTime<Utc>,
    png: Option<&Path>,
    terminal: bool,
) -> Result<(), Failure> {
    if png.is_none() && !terminal {
        return Ok(());
    }
    let poster = Poster::new(code, venue, expires_at)?;
    if let Some(path) = png {
        write_atomic(path, &poster.to_png()?, Mode::Public)?;
    }
    if terminal {
        use std::io::IsTerminal;
        let art =
            if std::io::stderr().is_terminal() { poster.qr().to_terminal_colours() } else { poster.qr().to_terminal() };
        eprint!("{}", poster.to_terminal(&art));
    }
    Ok(())
}
