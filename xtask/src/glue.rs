//! Turns wasm-bindgen's glue into a factory: `freshGlue()` returns a new copy of every export
//! with its own module-level state (the `wasm` exports, the memory views, the finalization
//! registry), so the element can start a fresh wasm instance after a trap (issue 12). The
//! glue's own exports stay as they were, made by one call of the factory.
//!
//! Re-importing the glue under a new URL (`planmap_core.js?instance=2`) did the same in the
//! split build, but a one-file bundle has no second URL to import (esbuild warned "did not
//! match any files", and the standalone element could not recover); a function works in both.

/// The name of the factory the glue gains.
pub(crate) const FACTORY: &str = "freshGlue";

/// `js` (wasm-bindgen's glue for the web target, its top-level statements unindented) as a
/// factory; an error when the glue has a top-level form this rewrite does not know, so a
/// wasm-bindgen upgrade cannot silently ship a broken module.
pub(crate) fn factory(js: &str) -> Result<String, String> {
    let mut body = String::with_capacity(js.len() + 512);
    // (exported name, local name)
    let mut names: Vec<(String, String)> = Vec::new();
    for line in js.lines() {
        if let Some(rest) = line.strip_prefix("export {") {
            let list = rest
                .trim_end()
                .strip_suffix("};")
                .ok_or_else(|| format!("glue: cannot read `{line}`"))?;
            for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let (local, exported) = item.split_once(" as ").unwrap_or((item, item));
                names.push((exported.trim().to_owned(), local.trim().to_owned()));
            }
            continue;
        }
        if line.starts_with("import ") || line.starts_with("import{") {
            return Err(format!(
                "glue: an import cannot move into {FACTORY}(): `{line}`"
            ));
        }
        let decl = line
            .strip_prefix("export class ")
            .map(|r| ("class ", r))
            .or_else(|| {
                line.strip_prefix("export function ")
                    .map(|r| ("function ", r))
            });
        match decl {
            Some((kind, rest)) => {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                    .collect();
                names.push((name.clone(), name));
                body.push_str(kind);
                body.push_str(rest);
            }
            None if line.starts_with("export ") => {
                return Err(format!("glue: unknown top-level export `{line}`"));
            }
            None => body.push_str(line),
        }
        body.push('\n');
    }
    if names.iter().any(|(n, _)| n == FACTORY) {
        return Err(format!("glue: an export is already named {FACTORY}"));
    }
    let fields: Vec<String> = names
        .iter()
        .map(|(e, l)| {
            if e == l {
                e.clone()
            } else {
                format!("{e}: {l}")
            }
        })
        .collect();
    let plain: Vec<&str> = names
        .iter()
        .filter(|(e, _)| e != "default")
        .map(|(e, _)| e.as_str())
        .collect();
    let mut out = format!("export function {FACTORY}() {{\n{body}");
    out.push_str(&format!(
        "return {{ {}, {FACTORY} }};\n}}\n",
        fields.join(", ")
    ));
    out.push_str(&format!("const first = {FACTORY}();\n"));
    out.push_str(&format!(
        "export const {{ {} }} = first;\n",
        plain.join(", ")
    ));
    if names.iter().any(|(e, _)| e == "default") {
        out.push_str("export default first.default;\n");
    }
    Ok(out)
}

/// The line the glue's `.d.ts` gains for the factory (`module`: the glue's name, no extension).
pub(crate) fn declaration(module: &str) -> String {
    format!(
        "\n/** A new copy of this module's exports with its own state, for a fresh wasm instance (added by xtask). */\n\
         export function {FACTORY}(): typeof import('./{module}.js');\n"
    )
}

#[cfg(test)]
mod tests {
    use super::factory;

    #[test]
    fn wraps_the_glue_and_keeps_its_exports() {
        let glue = "export class A {\nexportX() {\nreturn wasm.x();\n}\n}\nexport function f() {\nreturn 1;\n}\nlet wasm;\nfunction __wbg_init() {}\nexport { initSync, __wbg_init as default };\n";
        let out = factory(glue).unwrap();
        assert_eq!(
            out,
            "export function freshGlue() {\nclass A {\nexportX() {\nreturn wasm.x();\n}\n}\nfunction f() {\nreturn 1;\n}\nlet wasm;\nfunction __wbg_init() {}\n\
             return { A, f, initSync, default: __wbg_init, freshGlue };\n}\n\
             const first = freshGlue();\n\
             export const { A, f, initSync } = first;\n\
             export default first.default;\n"
        );
    }

    #[test]
    fn refuses_what_it_cannot_move() {
        assert!(factory("import * as x from './snippet.js';\n").is_err());
        assert!(factory("export const a = 1;\n").is_err());
        assert!(factory("export function freshGlue() {}\n").is_err());
    }
}
