#!/usr/bin/env python3
"""Regenerates fixtures/ (the selftest's site): one good page and one page per defect, with figures drawn by gnuplot
in the same style as the renderer's (svg terminal, keys at the bottom right). Run from anywhere: python3 make_fixtures.py"""
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
D = os.path.join(HERE, "fixtures")

GP = r"""
set terminal svg size 360,240 enhanced font 'DejaVu Sans,12' background rgb 'white'
set xrange [-1:11]
set yrange [0:10]
$d << EOD
0 0.5
2 1
4 1.2
6 1.1
8 0.8
10 0.6
EOD
set output 'over.svg'
set key bottom right noenhanced box opaque
plot $d using 1:2 with linespoints lw 2 pt 7 ps 0.6 title 'flat data'
set output 'clear.svg'
set key top left noenhanced box opaque
plot $d using 1:2 with linespoints lw 2 pt 7 ps 0.6 title 'flat data'
set output 'unboxed.svg'
set key bottom right noenhanced nobox noopaque
plot $d using 1:2 with points pt 7 ps 0.6 title 'flat points'
set output 'wide.svg'
set key bottom left noenhanced box opaque
set rmargin 16
plot $d using 1:($2 + 8) with lines lw 2 title 'key wider than the frame'
set output 'touch.svg'
set key bottom center noenhanced box opaque
set rmargin 2
set xrange [0:pi]
set autoscale y
plot sin(x) with lines lw 2 title 'sin x'
set output 'crowded.svg'
set key top left noenhanced box opaque
set rmargin 2
set xrange [-1:11]
set yrange [0:10]
set xtics 1 format '%.4f'
plot $d using 1:($2 + 5) with lines lw 2 title 'flat line'
set output
"""


def inline(folder, name, label, fid):
    with open(os.path.join(folder, name)) as f:
        t = f.read()
    t = t[t.index("<svg"):]
    t = t.replace("id='", "id='%s-" % fid).replace('id="', 'id="%s-' % fid).replace("href='#", "href='#%s-" % fid)
    if label:
        t = t.replace("<svg", '<svg role="img" aria-label="%s"' % label, 1)
        t = t.replace("<title>Gnuplot</title>", "<title>%s</title>" % label, 1)
    else:
        t = t.replace("<title>Gnuplot</title>", "", 1)
    return t.rstrip()


def page(name, title, expect, body):
    html = f'''<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="pagecheck-expect" content="{expect}">
<title>{title}</title>
<style>body {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
figure svg {{ max-width: 100%; height: auto; }} .scroll {{ overflow-x: auto; }}</style>
</head>
<body>
<p><a href="index.html">index</a></p>
{body}
</body>
</html>
'''
    with open(os.path.join(D, name), "w") as f:
        f.write(html)


def main():
    os.makedirs(os.path.join(D, "assets"), exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["gnuplot"], input=GP.encode(), cwd=tmp, check=True)
        fig = lambda n, label, fid: inline(tmp, n, label, fid)
        with open(os.path.join(D, "assets", "dot.svg"), "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><circle cx="4" cy="4" r="4"/></svg>\n')
        pages = ["good.html", "overflow.html", "console.html", "links.html", "alt.html", "legend.html", "frame.html",
                 "labels.html", "weight.html"]
        page("index.html", "pagecheck fixtures", "",
             "<h1>Fixtures</h1>\n<p>One good page and one page per defect (each page's pagecheck-expect meta names "
             "the checks it must fail).</p>\n<ul>\n" + "".join(f'<li><a href="{p}">{p}</a></li>\n' for p in pages)
             + '<li><a href="good.html#results">the good page\'s results</a></li>\n</ul>')
        # About 700 px wide: wider than a 420 px phone, narrower than 1280 px.
        wide = "<table><tr>" + "".join(f"<td>column&nbsp;{i}&nbsp;value</td>" for i in range(6)) + "</tr></table>"
        page("good.html", "A good page", "", f'''<h1 id="top-heading">A page with no defect</h1>
<nav><a href="#results">Results</a> · <a href="legend.html#fig-over">a figure elsewhere</a></nav>
<h2 id="results">Results</h2>
<p><img src="assets/dot.svg" alt="a dot"> A wide table scrolls inside its own box, so the page does not overflow:</p>
<div class="scroll">{wide}</div>
<figure id="fig-clear">{fig("clear.svg", "A flat line; the key sits in the empty top left corner", "fig-clear")}
<figcaption>The key is away from the data.</figcaption></figure>
<script>console.log("a log line is not an error");</script>''')
        page("overflow.html", "Overflow", "overflow@420", f"<h1>A table wider than a phone</h1>\n{wide}")
        page("console.html", "Console", "console", '''<h1>Console errors</h1>
<script>console.error("something went wrong");</script>
<script>undefinedFunction();</script>''')
        page("links.html", "Links", "links", '''<h1 id="here">Broken links</h1>
<p><a href="missing.html">a missing page</a>, <a href="good.html#no-such-id">a missing fragment elsewhere</a>,
<a href="#nowhere">a missing fragment here</a>, <a href="#here">a good fragment</a>,
<a href="https://example.org/">external, not checked</a>.</p>''')
        page("alt.html", "Alt", "alt", f'''<h1>Figures without text alternatives</h1>
<p><img src="assets/dot.svg"></p>
<figure id="fig-nolabel">{fig("clear.svg", None, "fig-nolabel")}<figcaption>No aria-label, no title.</figcaption></figure>''')
        page("legend.html", "Legend", "legend legend=3", f'''<h1>Keys over data</h1>
<figure id="fig-over">{fig("over.svg", "Flat data under an opaque key at the bottom right", "fig-over")}
<figcaption>An opaque boxed key hides the line.</figcaption></figure>
<figure id="fig-unboxed">{fig("unboxed.svg", "Flat points under an unboxed key at the bottom right", "fig-unboxed")}
<figcaption>An unboxed, transparent key over the points.</figcaption></figure>
<figure id="fig-wide">{fig("wide.svg", "A line at the top; a key wider than the plot frame at the bottom left", "fig-wide")}
<figcaption>The key covers no data but crosses the frame, over the y axis and its tick labels.</figcaption></figure>''')
        page("frame.html", "Frame", "frame", f'''<h1>Data on the frame</h1>
<figure id="fig-touch">{fig("touch.svg", "sin x from 0 to pi, autoscaled: the curve runs along the frame at 0 and at its peak", "fig-touch")}
<figcaption>Autoscaled to the data: the curve touches the bottom and top of the frame.</figcaption></figure>''')
        page("labels.html", "Labels", "labels", f'''<h1>Overlapping tick labels</h1>
<figure id="fig-crowded">{fig("crowded.svg", "A flat line; x tick labels with four decimals run into each other", "fig-crowded")}
<figcaption>Every x tick label overlaps its neighbours.</figcaption></figure>''')
        page("weight.html", "Weight", "weights", "<h1>Too heavy</h1>\n<p>Its baseline (fixtures/baseline.json) is "
             "1000 bytes, so the target is 400 bytes; the page itself is larger.</p>")
    with open(os.path.join(D, "baseline.json"), "w") as f:
        json.dump({"comment": "fixture baseline: only weight.html has one", "pages": {"weight.html": 1000}}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
