//! Embeds the shipped data files (catalogue, source mappings, templates, fonts, demo
//! data) into the binary, so an installed `wijkmonitor` needs no files beside it.
use std::{env, fs, path::Path};

fn main() {
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("embedded.rs");
    let mut code = String::new();
    for (name, dir) in
        [("SOURCES", "data/sources"), ("TEMPLATES", "report-templates"), ("FONTS", "fonts"), ("DEMO", "data/demo")]
    {
        println!("cargo:rerun-if-changed={dir}");
        let mut files: Vec<_> = fs::read_dir(dir)
            .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect())
            .unwrap_or_default();
        files.sort();
        code.push_str(&format!("/// Files embedded from `{dir}/`.\npub static {name}: &[(&str, &[u8])] = &[\n"));
        for f in files {
            let abs = fs::canonicalize(&f).unwrap();
            println!("cargo:rerun-if-changed={}", f.display());
            code.push_str(&format!(
                "    ({:?}, include_bytes!({:?})),\n",
                f.file_name().unwrap().to_string_lossy(),
                abs.display().to_string()
            ));
        }
        code.push_str("];\n");
    }
    println!("cargo:rerun-if-changed=data/indicators.toml");
    fs::write(out, code).unwrap();
}
