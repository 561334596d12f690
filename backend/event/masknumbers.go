package event

// maskNumbers stars the mobile and ID-card numbers in free text.
//
// It works on "digit groups": maximal runs of ASCII digits in which a single
// space or dash may separate two digits ("138 1234 5678", "0394-12345678"),
// plus an X or x right after the last digit (the ID-card check character).
// A group is starred when its digits, separators left out, contain a mobile
// number (1[3-9] and 9 more digits) or an ID-card number (17 digits and a
// digit or X): all but its first 3 and last 4 characters become '*', and
// separators stay. Every contiguous digit run lies inside one group, so no
// match of either pattern survives; and a starred group falls apart into
// groups of at most 4 digits, which are left alone the next time, so
// maskNumbers is idempotent. It returns s itself when nothing is starred.
//
// Scanning bytes is safe: digits, separators and X are ASCII, and no byte
// of a multi-byte UTF-8 character is ASCII.
func maskNumbers(s string) string {
	var b []byte // a copy of s, made at the first group that needs starring
	var pos []int
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		pos = digitGroup(s, i, pos[:0])
		i = pos[len(pos)-1] + 1
		if !sensitive(s, pos) {
			continue
		}
		if b == nil {
			b = []byte(s)
		}
		for _, p := range pos[3 : len(pos)-4] {
			b[p] = '*'
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digitGroup appends to pos the byte positions of the digits (and a
// trailing X) of the group that starts with the digit at s[start].
func digitGroup(s string, start int, pos []int) []int {
	pos = append(pos, start)
	for j := start + 1; j < len(s); j++ {
		switch {
		case isDigit(s[j]):
			pos = append(pos, j)
			continue
		case (s[j] == ' ' || s[j] == '-') && j+1 < len(s) && isDigit(s[j+1]):
			pos = append(pos, j+1)
			j++
			continue
		case s[j] == 'X' || s[j] == 'x': // s[j-1] is a digit: the loop only gets here past one
			pos = append(pos, j)
		}
		break
	}
	return pos
}

// sensitive reports whether the group's characters contain a mobile number
// or an ID-card number.
func sensitive(s string, pos []int) bool {
	digits := len(pos)
	if c := s[pos[len(pos)-1]]; c == 'X' || c == 'x' {
		digits--
		if digits >= 17 {
			return true // 17 digits and X
		}
	}
	if digits >= 18 {
		return true // 18 digits
	}
	for k := 0; k+11 <= digits; k++ {
		if s[pos[k]] == '1' && s[pos[k+1]] >= '3' && s[pos[k+1]] <= '9' {
			return true
		}
	}
	return false
}
