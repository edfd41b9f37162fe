//! Text output for IoT Central: what `iotcode decode` prints for pasted `az iot central` output, and
//! `iotcode export-role`.

use std::io::Write;
use std::process::ExitCode;

use azure_iot_codes::Meaning;
use azure_iot_codes::central::{
    self, Detail, ExportRequirements, Finding, NameCheck, Report, Suggestion, SuggestionKind,
};

/// Longest value (payload, sent value) printed in text output, in characters.
const SHOWN_VALUE_LEN: usize = 160;

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(SHOWN_VALUE_LEN).collect();
    if s.chars().count() > SHOWN_VALUE_LEN {
        out.push_str("...");
    }
    out
}

fn lines(first: usize, last: usize) -> String {
    if first == last {
        format!("line {first}")
    } else {
        format!("lines {first}-{last}")
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn print_report(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    writeln!(
        out,
        "IoT Central diagnostics output ({}): {}, {}, {}, {}",
        plural(r.line_count, "line", "lines"),
        plural(r.findings.len(), "finding", "findings"),
        plural(r.events.len(), "telemetry event", "telemetry events"),
        plural(
            r.property_changes.len(),
            "property change",
            "property changes"
        ),
        plural(
            r.unrecognised.len(),
            "line not understood",
            "lines not understood"
        ),
    )?;
    if let Some(d) = &r.device_filter {
        writeln!(out, "Device filter: {d}")?;
    }
    for (n, f) in r.findings.iter().enumerate() {
        writeln!(out)?;
        print_finding(out, n + 1, f)?;
    }
    for g in &r.registrations {
        writeln!(out)?;
        writeln!(
            out,
            "Registration ({}): device {}, status {}{}",
            lines(g.lines.first, g.lines.last),
            g.device_id.as_deref().unwrap_or("?"),
            g.device_status.as_deref().unwrap_or("?"),
            g.simulated
                .map_or(String::new(), |s| format!(", simulated {s}"))
        )?;
        if let Some(e) = &g.error {
            writeln!(out, "   CLI says:      {}", clip(e))?;
        }
        if let Some(s) = g.status {
            print_row(out, s.meaning())?;
        }
        if let Some(d) = g.dps_registration_status() {
            writeln!(out, "   DPS status:    {}", d.as_str())?;
            print_row(out, d.meaning())?;
        }
    }
    if !r.events.is_empty() {
        writeln!(out, "\nTelemetry events:")?;
        for e in &r.events {
            let mut at = String::new();
            for (label, v) in [
                ("module", &e.module),
                ("component", &e.component),
                ("interface", &e.interface),
            ] {
                if let Some(v) = v {
                    at.push_str(&format!(", {label} {v}"));
                }
            }
            writeln!(
                out,
                "  {}  device {}{at}: {}",
                lines(e.lines.first, e.lines.last),
                e.device_id.as_deref().unwrap_or("?"),
                clip(&e.payload.to_string())
            )?;
        }
    }
    if !r.property_changes.is_empty() {
        writeln!(out, "\nProperty changes:")?;
        for c in &r.property_changes {
            let names: Vec<String> = c
                .entries()
                .iter()
                .map(|(comp, name, _)| match comp {
                    Some(comp) => format!("{comp}.{name}"),
                    None => (*name).to_string(),
                })
                .collect();
            writeln!(
                out,
                "  {}  {}{}: {}",
                lines(c.lines.first, c.lines.last),
                match c.side {
                    central::PropertySide::Reported => "reported",
                    central::PropertySide::Desired => "desired",
                },
                c.version
                    .map_or(String::new(), |v| format!(", version {v}")),
                clip(&names.join(", "))
            )?;
        }
    }
    if r.suggestions_skipped {
        writeln!(
            out,
            "\nNote: too many names to compare; some names got no \"did you mean\"."
        )?;
    }
    if !r.unrecognised.is_empty() {
        writeln!(out, "\nNot understood (kept as is):")?;
        for l in &r.unrecognised {
            writeln!(out, "  line {}: {}", l.line, l.text)?;
        }
    }
    if !r.recognised_anything() && r.unrecognised.is_empty() {
        writeln!(out, "\nNothing to report: the text is empty.")?;
    }
    Ok(())
}

fn print_row(out: &mut impl Write, m: &Meaning) -> std::io::Result<()> {
    let code = m.code().to_string();
    if code == m.name() {
        writeln!(out, "   [{}] {code}", m.catalogue())?;
    } else {
        writeln!(out, "   [{}] {code} {}", m.catalogue(), m.name())?;
    }
    writeln!(out, "   What happened: {}", m.description())?;
    writeln!(out, "   What to do:    {}", m.mitigation())?;
    if let Some(note) = m.note() {
        writeln!(out, "   Note:          {note}")?;
    }
    writeln!(out, "   Source:        {}", m.source())
}

fn suggestion_text(s: &Suggestion) -> String {
    let place = if s.groups.is_empty() {
        String::new()
    } else {
        format!(" (in {})", s.groups.join(", "))
    };
    match s.kind {
        SuggestionKind::SameName => {
            format!(
                "'{}' is defined{place}, but not where it was sent",
                s.capability
            )
        }
        SuggestionKind::CaseOnly => {
            format!(
                "did you mean '{}'{place}? It differs only in case",
                s.capability
            )
        }
        SuggestionKind::Edit => format!(
            "did you mean '{}'{place}? {}",
            s.capability,
            plural(s.distance, "edit away", "edits away")
        ),
    }
}

fn print_name(out: &mut impl Write, n: &NameCheck) -> std::io::Result<()> {
    write!(out, "   '{}' is not in the device template", n.name)?;
    match &n.did_you_mean {
        Some(s) => writeln!(out, "; {}", suggestion_text(s)),
        None => writeln!(out, "; no capability with a similar name"),
    }
}

fn print_finding(out: &mut impl Write, n: usize, f: &Finding) -> std::io::Result<()> {
    let origin = if f.reported {
        "reported by the CLI"
    } else {
        "found in the output"
    };
    let mut who = String::new();
    if let Some(d) = &f.device_id {
        who.push_str(&format!(", device {d}"));
    }
    if let Some(t) = &f.template_id {
        who.push_str(&format!(", template {t}"));
    }
    writeln!(
        out,
        "{n}. [{}] {} ({}, {origin}{who})",
        f.severity.as_str(),
        f.cause.as_str(),
        lines(f.lines.first, f.lines.last)
    )?;
    match &f.detail {
        Detail::NotInTemplate { names, .. } => {
            for name in names {
                print_name(out, name)?;
            }
        }
        Detail::DatatypeMismatch {
            field,
            expected,
            sent,
            sent_looks_like,
        } => {
            let article = if sent_looks_like.starts_with(['a', 'o']) {
                "an"
            } else {
                "a"
            };
            writeln!(
                out,
                "   Field '{field}' is {expected} in the template; the device sent {} ({article} {sent_looks_like})",
                clip(sent)
            )?
        }
        Detail::DuplicateName { name, interfaces } => writeln!(
            out,
            "   '{name}' is defined in several interfaces: {}",
            interfaces.join(", ")
        )?,
        Detail::UnknownComponent {
            component,
            allowed,
            did_you_mean,
        } => {
            write!(
                out,
                "   Component '{component}' is not in the template (it has: {})",
                allowed.join(", ")
            )?;
            match did_you_mean {
                Some(s) => writeln!(out, "; did you mean '{}'?", s.capability)?,
                None => writeln!(out)?,
            }
        }
        Detail::InvalidFieldNames { names } => {
            writeln!(out, "   Field names not allowed: {}", names.join(", "))?
        }
        Detail::InvalidJson { payload } => match payload {
            Some(p) => writeln!(out, "   The payload is not a JSON object: {}", clip(p))?,
            None => writeln!(out, "   The message body did not parse as JSON")?,
        },
        Detail::TemplateNotFound { error } => writeln!(out, "   CLI error: {}", clip(error))?,
        Detail::ContentType { sent, expected } => writeln!(
            out,
            "   Content type '{sent}' where '{expected}' is expected"
        )?,
        Detail::ContentEncoding { sent } => match sent {
            Some(e) => writeln!(out, "   Content encoding '{e}' where utf-8 is expected")?,
            None => writeln!(out, "   No content encoding; utf-8 is expected")?,
        },
        Detail::UnmodeledData { at } => writeln!(out, "   _unmodeleddata at {}", clip(at))?,
        _ => {}
    }
    let m = f.meaning();
    writeln!(out, "   What happened: {}", m.description())?;
    writeln!(out, "   What to do:    {}", m.mitigation())?;
    if let Some(note) = m.note() {
        writeln!(out, "   Note:          {note}")?;
    }
    writeln!(out, "   Source:        {}", m.source())
}

pub fn run_export_role(
    out: &mut impl Write,
    destination: &str,
    json: bool,
) -> std::io::Result<ExitCode> {
    let dest = match central::export_destination(destination) {
        Ok(d) => d,
        Err(e) => {
            report!("iotcode: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let Some(req) = ExportRequirements::of(dest) else {
        report!("iotcode: {destination:?} is not an export destination");
        return Ok(ExitCode::from(1));
    };
    if json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&req).map_err(std::io::Error::other)?
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let d = req.destination;
    writeln!(
        out,
        "{}: role for the managed identity: {}",
        d.name(),
        req.role
    )?;
    writeln!(out, "   {}", d.description())?;
    writeln!(out, "   What to do:    {}", d.mitigation())?;
    if let Some(note) = d.note() {
        writeln!(out, "   Note:          {note}")?;
    }
    writeln!(out, "   Source:        {}", d.source())?;
    writeln!(out, "\nAlso check:")?;
    for (i, c) in req.checks.iter().enumerate() {
        writeln!(out, "{}. {} ({})", i + 1, c.name(), c.code())?;
        writeln!(out, "   {}", c.description())?;
        writeln!(out, "   What to do:    {}", c.mitigation())?;
    }
    Ok(ExitCode::SUCCESS)
}
