package io.github.orchestratorqueueroutes.folders;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.orchestratorqueueroutes.config.InvalidSettingException;
import io.github.orchestratorqueueroutes.odata.KeysetPaging;
import io.github.orchestratorqueueroutes.run.RunPlan;
import org.apache.camel.Exchange;

/**
 * Resolves {@code orchestrator.folders} (folder ids or full paths such as {@code Shared/Finance}; empty for every
 * folder) against {@code /odata/Folders}. An entry that matches no folder stops the run with a message naming the
 * setting and the folders the account can see.
 */
public class FolderSelection {

    static final String SEEN = "foldersSeen";

    private final int pageSize;

    public FolderSelection(int pageSize) {
        this.pageSize = pageSize;
    }

    public void begin(Exchange exchange) {
        KeysetPaging.begin(exchange, new KeysetPaging.Cursor("odata/Folders", null, null, pageSize, "GET Folders"));
        exchange.setVariable(SEEN, new ArrayList<FolderRef>());
    }

    @SuppressWarnings("unchecked")
    public void collect(Exchange exchange) {
        List<FolderRef> seen = exchange.getVariable(SEEN, List.class);
        List<JsonNode> page = exchange.getMessage().getBody(List.class);
        for (JsonNode folder : page) {
            seen.add(new FolderRef(folder.get("Id").asLong(), folder.path("FullyQualifiedName").asText(
                    folder.path("DisplayName").asText(""))));
        }
    }

    /** Sets the body to the folders to work in, in the order configured. */
    @SuppressWarnings("unchecked")
    public void select(Exchange exchange) {
        List<FolderRef> seen = exchange.getVariable(SEEN, List.class);
        exchange.getMessage().setBody(select(seen, RunPlan.options(exchange).folders()));
    }

    List<FolderRef> select(List<FolderRef> seen, List<String> configured) {
        if (configured.isEmpty()) {
            return List.copyOf(seen);
        }
        List<FolderRef> chosen = new ArrayList<>();
        for (String entry : configured) {
            FolderRef match = seen.stream().filter(f -> matches(f, entry)).findFirst().orElseThrow(
                    () -> new InvalidSettingException("orchestrator.folders", "names '" + entry
                            + "', which is neither the id nor the full path of a folder this account can see. Known: "
                            + describe(seen) + "."));
            if (!chosen.contains(match)) {
                chosen.add(match);
            }
        }
        return chosen;
    }

    private static boolean matches(FolderRef folder, String entry) {
        if (entry.matches("\\d+")) {
            return folder.id() == Long.parseLong(entry);
        }
        String wanted = entry.replace('\\', '/').replaceAll("^/+|/+$", "");
        return folder.path().toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT));
    }

    private static String describe(List<FolderRef> folders) {
        if (folders.isEmpty()) {
            return "none (check the account's folder permissions and the OR.Folders.Read scope)";
        }
        StringBuilder sb = new StringBuilder();
        for (FolderRef f : folders.subList(0, Math.min(20, folders.size()))) {
            sb.append(sb.isEmpty() ? "" : ", ").append(f.id()).append(" '").append(f.path()).append('\'');
        }
        return folders.size() > 20 ? sb + ", ..." : sb.toString();
    }
}
