package io.github.orchestratorqueueroutes.odata;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;

/**
 * An Orchestrator call made from Java code, through the route {@code orchestrator-request}: the same token, retries,
 * list budget, health and metrics as a call a route makes. The call gets a copy of the exchange it is made for, so it
 * can read the run's variables without touching that exchange.
 */
public class OrchestratorCaller {

    private static final String ROUTE = "direct:orchestrator-request";

    private final CamelContext context;
    private ProducerTemplate template;

    public OrchestratorCaller(CamelContext context) {
        this.context = context;
    }

    /** The reply's JSON; the call's failure (after its retries) is raised as it is, or wrapped when checked. */
    public JsonNode call(Exchange on, OrchestratorRequest request) {
        Exchange call = on.copy();
        call.setVariable(OrchestratorRequest.VARIABLE, request);
        template().send(ROUTE, call);
        Exception failure = call.getException();
        if (failure instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (failure != null) {
            throw new RuntimeCamelException(failure);
        }
        return call.getMessage().getBody(JsonNode.class);
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }
}
