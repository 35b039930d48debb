// Package svgchart draws horizontal bar charts as SVG on the server, so a
// chart is readable without JavaScript and passes a strict Content
// Security Policy: it uses presentation attributes only (no style
// attribute, no <style>, no script), and every id inside is prefixed with
// the chart's own, so several charts can sit inline in one page.
//
// A chart is an image with a text alternative: role="img", named by its
// <title> and described by its <desc>, which lists every bar's label and
// value text. It is not the only way to the numbers: pages show a data
// table beside it.
//
// It knows nothing of what it draws (see internal/stats for the numbers).
package svgchart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Kind says how a bar is drawn.
type Kind int

const (
	// Value: a solid bar as long as Value.
	Value Kind = iota
	// Range: the value is known only to lie below Value; a hatched bar
	// spans the whole range from 0 to Value, so its length never tells
	// the count.
	Range
	// Hidden: no bar at all, only the text.
	Hidden
)

// Bar is one row of the chart.
type Bar struct {
	Label string
	Kind  Kind
	Value int    // length (Value), or the range's upper end (Range); >= 0
	Text  string // shown after the bar and in the description: "12", "fewer than 5"
}

// Chart is a horizontal bar chart.
type Chart struct {
	// ID is unique in the page: lower-case letters, digits and '-',
	// starting with a letter. The ids inside the chart start with it.
	ID    string
	Title string // the accessible name
	Desc  string // the description's lead; the bars follow it
	// Legend explains the hatched bars; drawn below the chart when a
	// Range bar is present.
	Legend string
	Bars   []Bar

	// Language (issue 18): the chart's own words and numbers, given by a
	// page in another language. Each is optional; the English defaults
	// are the chart's words as they always were.
	//
	// NoData ends the description of a chart without bars ("No data.").
	NoData string
	// Number writes a tick label ("1,000", "1 000"); plain digits when nil.
	Number func(int) string
	// Item is one bar in the description ("Avalon: 12", "Avalon : 12").
	Item func(label, text string) string
}

// Geometry, in SVG user units. The SVG scales to its container's width:
// on a phone (about 360 px) its text stays near 11 px; pages should not
// let it grow much past its own width (480), or it only gets bigger.
// Labels get about 17 characters.
const (
	width     = 480
	labelEnd  = 146 // labels end here (right-aligned)
	barStart  = 154
	barSpace  = 220 // the longest bar; leaves room for "fewer than 5" after it
	rowHeight = 30
	barHeight = 20
	top       = 8
	axisSpace = 34 // below the rows: axis line, ticks and their labels
	legendRow = 28
	legendX   = 8 // the legend's swatch; its text follows (about 50 characters fit)
	minRange  = 8 // a Range bar is at least this long, so its hatching shows
	fontSize  = 15
)

// Colours: contrast above 4.5:1 on white for text and bars alike.
const (
	ink   = "#1b1f23"
	bar   = "#0b3954"
	grid  = "#c9d3db"
	paper = "#ffffff"
)

var errBadID = errors.New("svgchart: chart id must be lower-case letters, digits and '-', starting with a letter")

func validID(id string) bool {
	if id == "" || id[0] < 'a' || id[0] > 'z' {
		return false
	}
	for _, r := range id {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
			return false
		}
	}
	return true
}

// Render draws the chart as one <svg> element (no XML declaration), fit
// to embed in HTML or to serve on its own.
func (c *Chart) Render() ([]byte, error) {
	if !validID(c.ID) {
		return nil, errBadID
	}
	hasRange := false
	maxV := 0
	for _, b := range c.Bars {
		if b.Value < 0 {
			return nil, fmt.Errorf("svgchart: bar %q: negative value %d", b.Label, b.Value)
		}
		if b.Kind != Hidden {
			maxV = max(maxV, b.Value)
		}
		hasRange = hasRange || b.Kind == Range
	}
	scaleMax, step := scale(maxV)
	x := func(v int) int { return barStart + v*barSpace/scaleMax }

	rowsEnd := top + len(c.Bars)*rowHeight
	height := rowsEnd + axisSpace
	if hasRange && c.Legend != "" {
		height += legendRow
	}

	var w svgWriter
	w.printf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-title %s-desc" class="chart" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="%d">`,
		width, height, c.ID, c.ID, fontSize)
	w.printf(`<title id="%s-title">`, c.ID)
	w.text(c.Title)
	w.printf(`</title><desc id="%s-desc">`, c.ID)
	w.text(c.description())
	w.printf(`</desc>`)
	if hasRange {
		w.printf(`<defs><pattern id="%s-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="%s"/><line x1="0" y1="0" x2="0" y2="6" stroke="%s" stroke-width="2.5"/></pattern></defs>`,
			c.ID, paper, bar)
	}
	w.printf(`<rect width="%d" height="%d" fill="%s"/>`, width, height, paper)

	// Grid lines and tick labels.
	for v := 0; v <= scaleMax; v += step {
		gx := x(v)
		w.printf(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1"/>`, gx, top-4, gx, rowsEnd+4, grid)
		w.printf(`<text x="%d" y="%d" text-anchor="middle" fill="%s">`, gx, rowsEnd+22, ink)
		w.text(c.number(v))
		w.printf(`</text>`)
	}
	w.printf(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1.5"/>`, barStart, top-4, barStart, rowsEnd+4, ink)

	for i, b := range c.Bars {
		y := top + i*rowHeight
		mid := y + rowHeight/2 + fontSize/2 - 2 // text baseline, centred on the row
		w.printf(`<text x="%d" y="%d" text-anchor="end" fill="%s">`, labelEnd, mid, ink)
		w.text(b.Label)
		w.printf(`</text>`)
		end := barStart
		by := y + (rowHeight-barHeight)/2
		switch {
		case b.Kind == Value && b.Value > 0:
			end = x(b.Value)
			w.printf(`<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, barStart, by, end-barStart, barHeight, bar)
		case b.Kind == Range && b.Value > 0:
			end = max(x(b.Value), barStart+minRange)
			w.printf(`<rect x="%d" y="%d" width="%d" height="%d" fill="url(#%s-hatch)" stroke="%s" stroke-width="1"/>`,
				barStart, by, end-barStart, barHeight, c.ID, bar)
		}
		w.printf(`<text x="%d" y="%d" fill="%s">`, end+6, mid, ink)
		w.text(b.Text)
		w.printf(`</text>`)
	}

	if hasRange && c.Legend != "" {
		ly := rowsEnd + axisSpace + 4
		w.printf(`<rect x="%d" y="%d" width="24" height="16" fill="url(#%s-hatch)" stroke="%s" stroke-width="1"/>`, legendX, ly, c.ID, bar)
		w.printf(`<text x="%d" y="%d" fill="%s">`, legendX+32, ly+13, ink)
		w.text(c.Legend)
		w.printf(`</text>`)
	}
	w.printf(`</svg>`)
	return w.buf.Bytes(), w.err
}

// description is the text alternative: the lead, then every bar.
func (c *Chart) description() string {
	var b strings.Builder
	b.WriteString(c.Desc)
	if len(c.Bars) == 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		if c.NoData != "" {
			b.WriteString(c.NoData)
		} else {
			b.WriteString("No data.")
		}
		return b.String()
	}
	for i, bar := range c.Bars {
		switch {
		case i > 0:
			b.WriteString("; ")
		case b.Len() > 0:
			b.WriteString(" ")
		}
		if c.Item != nil {
			b.WriteString(c.Item(bar.Label, bar.Text))
		} else {
			b.WriteString(bar.Label)
			b.WriteString(": ")
			b.WriteString(bar.Text)
		}
	}
	b.WriteString(".")
	return b.String()
}

// number is a tick label.
func (c *Chart) number(v int) string {
	if c.Number != nil {
		return c.Number(v)
	}
	return strconv.Itoa(v)
}

// scale picks the axis end and the tick step for values up to maxV: a
// step of 1, 2 or 5 times a power of ten, giving at most 5 steps.
func scale(maxV int) (end, step int) {
	maxV = max(maxV, 1)
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			step = m * p
			if (maxV+step-1)/step <= 5 {
				return (maxV + step - 1) / step * step, step
			}
		}
	}
}

// svgWriter writes the document, escaping text content.
type svgWriter struct {
	buf bytes.Buffer
	err error
}

// printf writes markup built from constants, numbers and validated ids.
func (w *svgWriter) printf(format string, args ...any) {
	fmt.Fprintf(&w.buf, format, args...)
}

// text writes character data escaped (labels may come from the database).
func (w *svgWriter) text(s string) {
	if err := xml.EscapeText(&w.buf, []byte(s)); err != nil && w.err == nil {
		w.err = err
	}
}
