package io.mailshot.campaign.service;

import java.util.List;

/** One page of a list, with the total across all pages. */
public record Listing<T>(List<T> items, int page, int size, long total) {}
