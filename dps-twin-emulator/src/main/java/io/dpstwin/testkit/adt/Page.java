package io.dpstwin.testkit.adt;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One page of a list or query: the items and the token of the next page ({@code null} on the last page).
 */
public record Page(List<ObjectNode> items, String continuationToken) {

    public Page {
        items = List.copyOf(items);
    }
}
