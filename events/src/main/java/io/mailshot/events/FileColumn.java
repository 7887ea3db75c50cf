package io.mailshot.events;

/** One column of an extraction file: its header label and the profile attribute path it reads. */
public record FileColumn(String label, String path) {
}
