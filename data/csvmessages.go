package data

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Helpers for the messages of the CSV reader.

// likelySeparators are the characters, besides the Comma, that a header
// read as one column is checked for: those of the common CSV dialects.
var likelySeparators = []rune{',', ';', '\t', '|'}

// separatorHint returns, when the header was read as a single column whose
// name holds one of likelySeparators other than the Comma, a hint naming
// the most frequent one, and that one; "" and 0 otherwise.
func (p *parser) separatorHint() (string, rune) {
	if len(p.names) != 1 {
		return "", 0
	}
	best, count := rune(0), 0
	for _, r := range likelySeparators {
		if c := strings.Count(p.names[0], string(r)); r != p.cr.Comma && c > count {
			best, count = r, c
		}
	}
	if count == 0 {
		return "", 0
	}
	return fmt.Sprintf("the header looks separated by %s, but fields are split at %s (CSVOptions.Comma)",
		strconv.QuoteRune(best), strconv.QuoteRune(p.cr.Comma)), best
}

// columns returns "1 column" or "N columns".
func columns(n int) string {
	if n == 1 {
		return "1 column"
	}
	return strconv.Itoa(n) + " columns"
}

// maxQuoted bounds the bytes of cell text quoted in an error message.
const maxQuoted = 64

// quoteCell quotes s for an error message, cut to maxQuoted bytes.
func quoteCell(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	cut := maxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}

// maxListed bounds the names listed in an error message.
const maxListed = 8

// summarize lists names for an error message, at most maxListed of them,
// quoting those that hold control characters (a tab, when the file is not
// comma-separated).
func summarize(names []string) string {
	shown := make([]string, min(len(names), maxListed))
	for i := range shown {
		shown[i] = shownName(names[i])
	}
	if len(names) <= maxListed {
		return strings.Join(shown, ", ")
	}
	return fmt.Sprintf("%s, … (%d in all)", strings.Join(shown, ", "), len(names))
}
