package io.convey.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * The known key an unknown one was probably meant to be: the nearest by optimal string alignment distance
 * (Damerau-Levenshtein restricted to adjacent transpositions, so {@code wieght} is one edit from {@code weight}),
 * at most 2 edits and fewer than half the key, or a known key the typed one is a prefix of.
 *
 * <p>Written here rather than taken from Apache commons-text: its {@code LevenshteinDistance} counts a transposition
 * as two edits, the dynamic program is twenty lines, and the core module does not otherwise need commons-text.
 */
public final class KeySuggestion {
    static final int MAX_DISTANCE = 2;
    private static final int MIN_PREFIX = 3;

    private KeySuggestion() {}

    /** The closest known key (ties broken alphabetically), or empty when none is close. */
    public static Optional<String> nearest(String typed, Collection<String> known) {
        String t = typed.toLowerCase(Locale.ROOT);
        return known.stream()
                .filter(k -> !k.equals(typed))
                .map(k -> new Candidate(k, score(t, k.toLowerCase(Locale.ROOT))))
                .filter(c -> c.score() >= 0)
                .min(Comparator.comparingInt(Candidate::score).thenComparing(Candidate::key))
                .map(Candidate::key);
    }

    private record Candidate(String key, int score) {}

    /** Edit distance when close enough, else a prefix match ranked after every close one, else -1. */
    private static int score(String typed, String key) {
        int distance = distance(typed, key);
        if (distance <= MAX_DISTANCE && distance * 2 < Math.max(typed.length(), key.length())) {
            return distance;
        }
        if (typed.length() >= MIN_PREFIX && key.startsWith(typed)) {
            return MAX_DISTANCE + 1 + key.length() - typed.length();
        }
        return -1;
    }

    /** Optimal string alignment distance (Damerau 1964; the restricted form, each substring edited once). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
