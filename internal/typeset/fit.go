package typeset

import (
	"math"
	"strings"
	"unicode/utf8"
)

// Ellipsis ends a text that did not fit its box.
const Ellipsis = "…"

// Measure returns the width of s set at size, in the caller's unit (the
// same unit as Box.Width).
type Measure func(s string, size float64) float64

// Box is the space a text may take and the sizes it may be set at. All
// lengths are in one unit chosen by the caller (points for the PDF, pixels
// for the picture); a line takes Size×Leading of Height.
type Box struct {
	Width, Height    float64
	MaxSize, MinSize float64
	Step             float64 // how much smaller each try is; ≤0 means 1
	Leading          float64 // line height as a multiple of the size; ≤0 means 1.2
	MaxLines         int     // 0: as many as the height allows
}

// Fitted is a text broken into lines at the size it fits at.
type Fitted struct {
	Size  float64
	Lines []string
	Cut   bool // the text was shortened and its last line ends with Ellipsis
}

// LineHeight is the distance between the baselines of two lines.
func (b Box) LineHeight(size float64) float64 { return size * b.leading() }

func (b Box) leading() float64 {
	if b.Leading <= 0 {
		return 1.2
	}
	return b.Leading
}

// lines is how many lines of the given size the box holds (at least one,
// so a too-small box still shows the start of the text).
func (b Box) lines(size float64) int {
	n := int(math.Floor(b.Height/b.LineHeight(size) + 1e-9))
	if b.MaxLines > 0 && n > b.MaxLines {
		n = b.MaxLines
	}
	return max(n, 1)
}

// Fit sets text (already Clean) at the largest size from MaxSize down to
// MinSize at which it fits the box whole. If it does not fit even at
// MinSize, it is set at MinSize, cut after the last line the box holds,
// and that line ends with Ellipsis. cut says the text was already
// shortened before (by Clean): its end then also gets the Ellipsis.
//
// No returned line is wider than Width by measure, except a single
// character that is wider on its own (a box narrower than one letter).
func Fit(text string, box Box, measure Measure, cut bool) Fitted {
	step := box.Step
	if step <= 0 {
		step = 1
	}
	if text == "" {
		return Fitted{Size: box.MaxSize}
	}
	size := box.MaxSize
	for {
		lines, broken := wrap(text, box.Width, func(s string) float64 { return measure(s, size) })
		room := box.lines(size)
		next := size - step
		last := next < box.MinSize-1e-9
		// Breaking inside a word is the last resort: shrink first.
		if len(lines) <= room && !cut && (!broken || last) {
			return Fitted{Size: size, Lines: lines}
		}
		if last {
			if len(lines) > room {
				lines = lines[:room]
			}
			last := len(lines) - 1
			lines[last] = withEllipsis(lines[last], box.Width, func(s string) float64 { return measure(s, size) })
			return Fitted{Size: size, Lines: lines, Cut: true}
		}
		size = next
	}
}

// withEllipsis ends line with an Ellipsis, dropping characters from its end
// (and then a dangling space or punctuation) until the whole fits width.
func withEllipsis(line string, width float64, w func(string) float64) string {
	for {
		s := strings.TrimRight(line, " ,;:.-–—") + Ellipsis
		if line == "" || w(s) <= width {
			return s
		}
		_, n := utf8.DecodeLastRuneInString(line)
		line = line[:len(line)-n]
	}
}

// Wrap breaks text into lines no wider than width, at spaces where it can
// and inside a word only when the word alone is wider than a line. text
// has single spaces between words (as Clean leaves it).
//
// A line's width is taken as the sum of its words' and spaces' widths,
// which is what a PDF without kerning draws; a measure that kerns may make
// a line a little different, so every line is measured again and a line
// that turns out too wide is broken again with a tighter budget.
func Wrap(text string, width float64, w func(string) float64) []string {
	lines, _ := wrap(text, width, w)
	return lines
}

// wrap is Wrap that also says whether a word had to be broken.
func wrap(text string, width float64, w func(string) float64) (lines []string, broken bool) {
	budget := width
	for range 4 {
		lines, broken = wrapGreedy(text, budget, w)
		over := 0.0
		for _, l := range lines {
			over = max(over, w(l)-width)
		}
		if over <= 0 {
			return lines, broken
		}
		budget -= over + 0.5
		if budget <= 0 {
			break
		}
	}
	// Kerning that beats four tries does not exist in our fonts; if it
	// ever did, break every line into characters that surely fit.
	var out []string
	lines, _ = wrapGreedy(text, width, w)
	for _, l := range lines {
		out = append(out, splitWord(l, width, w)...)
	}
	return out, true
}

func wrapGreedy(text string, width float64, w func(string) float64) (lines []string, broken bool) {
	space := w(" ")
	var cur strings.Builder
	curW := 0.0
	flush := func() {
		if cur.Len() > 0 {
			lines = append(lines, cur.String())
			cur.Reset()
			curW = 0
		}
	}
	for word := range strings.FieldsSeq(text) {
		ww := w(word)
		if cur.Len() > 0 && curW+space+ww <= width {
			cur.WriteByte(' ')
			cur.WriteString(word)
			curW += space + ww
			continue
		}
		flush()
		if ww <= width {
			cur.WriteString(word)
			curW = ww
			continue
		}
		broken = true
		parts := splitWord(word, width, w)
		lines = append(lines, parts[:len(parts)-1]...)
		cur.WriteString(parts[len(parts)-1])
		curW = w(parts[len(parts)-1])
	}
	flush()
	return lines, broken
}

// splitWord breaks a word wider than a line into pieces that each fit
// (a piece is at least one character, however narrow the line).
func splitWord(word string, width float64, w func(string) float64) []string {
	var parts []string
	for word != "" {
		end, acc := 0, 0.0
		for i, r := range word {
			rw := w(string(r))
			if end > 0 && acc+rw > width {
				break
			}
			acc += rw
			end = i + utf8.RuneLen(r)
		}
		// Confirm with one measure of the whole piece (kerning), and give
		// back characters while it is too wide.
		for end > 0 && w(word[:end]) > width {
			_, n := utf8.DecodeLastRuneInString(word[:end])
			if end-n == 0 {
				break
			}
			end -= n
		}
		parts = append(parts, word[:end])
		word = word[end:]
	}
	return parts
}
