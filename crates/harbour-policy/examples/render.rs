//! Renders a pack to standard output: `cargo run -p harbour-policy --example render -- FILE [md|html]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let src = std::fs::read_to_string(&args[1]).expect("read pack");
    let pack = harbour_policy::pack::load(&args[1], &src).unwrap_or_else(|e| panic!("{e}"));
    let format = args.get(2).map(|f| f.parse().expect("md or html")).unwrap_or(harbour_policy::pack::Format::Markdown);
    print!("{}", harbour_policy::pack::render(&pack, format));
}
