package io.dpstwin.core.twins;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One page of an ADT query: the rows (twin JSON for {@code SELECT *}, projections such as
 * {@code {"COUNT": 3}} otherwise) and the token of the next page, {@code null} on the last page.
 */
public record QueryPage(List<ObjectNode> items, String continuationToken) {

    public QueryPage {
        items = List.copyOf(items);
    }

    /** Whether another page follows. */
    public boolean hasNext() {
        return continuationToken != null;
    }
}
