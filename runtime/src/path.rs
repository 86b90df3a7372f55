//! Building request paths: each parameter becomes exactly one encoded path
//! segment, so an ID can never change which resource a request names.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::Error;

/// Everything but the unreserved characters of RFC 3986 is encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The characters [`SEGMENT`] leaves as they are, as a table of every byte.
static UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0u8;
    while b < 128 {
        table[b as usize] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~');
        b += 1;
    }
    table
};

/// Whether [`SEGMENT`] leaves `b` as it is.
#[inline]
fn is_unreserved(b: u8) -> bool {
    UNRESERVED[usize::from(b)]
}

/// Builds a request path from the literal pieces of its template and its
/// parameters, in turn: `pieces[0]`, the first parameter, `pieces[1]`, and
/// so on, with one piece more than there are parameters (the generated
/// code splits each template this way when it is generated). Each
/// parameter becomes exactly one encoded segment. Empty values, `.` and
/// `..` are refused: they would name a different resource than the caller
/// meant.
pub fn fill_path(pieces: &[&'static str], params: &[(&'static str, &String)]) -> Result<String, Error> {
    debug_assert_eq!(pieces.len(), params.len() + 1, "a template has one piece more than parameters");
    // Room for the values as they are: IDs need no encoding.
    let room = pieces.iter().map(|p| p.len()).chain(params.iter().map(|(_, v)| v.len())).fold(0, usize::saturating_add);
    let mut out = String::with_capacity(room);
    let mut pieces = pieces.iter();
    if let Some(first) = pieces.next() {
        out.push_str(first);
    }
    for ((name, value), piece) in params.iter().zip(pieces) {
        push_segment(&mut out, name, value)?;
        out.push_str(piece);
    }
    Ok(out)
}

/// Appends `value` as one path segment, encoded; `name` is the parameter's,
/// for the error.
pub(crate) fn push_segment(out: &mut String, name: &str, value: &str) -> Result<(), Error> {
    match value {
        "" => return Err(Error::invalid_argument(name, "must not be empty")),
        "." | ".." => return Err(Error::invalid_argument(name, "must not be `.` or `..`")),
        // IDs are almost always unreserved characters only: copied whole,
        // the same bytes the encoder would give, without going through it
        // one byte at a time.
        v if v.bytes().all(is_unreserved) => out.push_str(v),
        v => out.extend(utf8_percent_encode(v, SEGMENT)),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> String {
        v.to_string()
    }

    #[test]
    fn encodes_each_parameter_as_one_segment() {
        let p = fill_path(&["/edges/https/", "/routes/", ""], &[("edge_id", &s("edghts_1")), ("id", &s("../api_keys"))]).unwrap();
        assert_eq!(p, "/edges/https/edghts_1/routes/..%2Fapi_keys");
        let p = fill_path(&["/ip_policies/", ""], &[("id", &s("a/b?x=1#y"))]).unwrap();
        assert_eq!(p, "/ip_policies/a%2Fb%3Fx%3D1%23y");
    }

    #[test]
    fn refuses_empty_and_dot_segments() {
        for bad in ["", ".", ".."] {
            let err = fill_path(&["/ip_policies/", ""], &[("id", &s(bad))]).unwrap_err();
            assert!(err.to_string().contains("`id`"), "{err}");
        }
    }

    #[test]
    fn the_unreserved_fast_path_agrees_with_the_encoder() {
        for b in 0u8..=127 {
            let c = char::from(b).to_string();
            let encoded = utf8_percent_encode(&c, SEGMENT).to_string();
            assert_eq!(is_unreserved(b), encoded == c, "byte {b:#04x}");
        }
        let id = "ipp_2ZtV5sGh3bQk7Lw9XyPq0000042-x.y~z";
        assert_eq!(fill_path(&["/ip_policies/", ""], &[("id", &s(id))]).unwrap(), format!("/ip_policies/{id}"));
        assert_eq!(fill_path(&["/ip_policies/", ""], &[("id", &s("ipp é"))]).unwrap(), "/ip_policies/ipp%20%C3%A9");
    }
}
