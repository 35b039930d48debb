// Package typeset owns the fonts and the text fitting shared by the
// documents and pictures the site generates from a case (the poster PDF in
// internal/poster, the link-preview image in internal/shareimg): which
// characters can be printed, how a text is cleaned of what must never
// reach a page, and how a text is wrapped and shrunk into a fixed box.
//
// The fonts are the Go fonts (Go Regular and Go Bold by Bigelow & Holmes),
// taken from the module golang.org/x/image/font/gofont rather than copied
// into the repository. They are published under the same BSD 3-clause
// licence as Go itself, which allows embedding and redistribution in a
// binary and in the documents it produces, and they cover the Latin letters
// of the names we print (é, ô, ç, ŋ, ĸ, ł, typographic apostrophes).
//
// It must not know what a case is, nor touch HTTP, storage or caches: it
// takes strings and measurements and returns strings and sizes.
package typeset
