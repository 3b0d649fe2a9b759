package org.cpis.engine.mapping;

import java.io.StringReader;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.cpis.engine.attendance.EventKind;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads dialect files into a {@link DialectSet}, checking each against the schema as it goes.
 * Works on SnakeYAML nodes so that every fault carries its {@code file:line}. All faults of all
 * files are collected; a set with any fault is refused whole.
 */
public final class DialectLoader {

    static final List<String> TOP_KEYS = List.of("description", "extends", "match", "timeZone", "rules",
            "valueMaps", "fields");
    static final List<String> MATCH_KEYS = List.of("sendingApplication", "sendingFacility",
            "sendingApplicationPattern", "sendingFacilityPattern");
    static final List<String> RULES_KEYS = List.of("messageTypes", "attendanceEvents", "requireVerified",
            "verifiedStatuses");
    static final List<String> RULE_KEYS = List.of("rule", "path", "value", "from", "where", "component", "when",
            "apply");
    static final List<String> CONDITION_KEYS = List.of("any", "all", "not", "path", "component", "equals",
            "matches", "present", "validNhsNumber");
    static final String DEFAULT_ZONE = "Europe/London";

    /** Loading outcome: the set when there are no errors. */
    public record Result(DialectSet dialects, List<MappingError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** Where something was written, for faults found only after merging. */
    private record Where(String file, int line) {
    }

    /** A file read into nodes, not yet merged with its base. */
    private static final class Raw {
        String name;
        String file;
        Node root;
        String description;
        String extendsName;
        Node extendsNode;
        DialectSelector selector = new DialectSelector(Set.of(), Set.of(), null, null);
        Node matchNode;
        ZoneId zone;
        Map<String, List<String>> ruleLists = new HashMap<>();
        Boolean requireVerified;
        Map<String, Map<String, String>> valueMaps = new LinkedHashMap<>();
        /** file and line of each value map entry, for faults found after merging. */
        Map<String, Map<String, Where>> valueMapLines = new LinkedHashMap<>();
        Map<TargetField, Node> fields = new EnumMap<>(TargetField.class);
    }

    private final Set<MappingError> errors = new LinkedHashSet<>();
    private String file;

    private DialectLoader() {
    }

    /** Loads and validates; throws with every fault when any file is wrong. */
    public static DialectSet load(MappingsSource source) throws InvalidMappingsException {
        Result r = validate(source.read());
        if (!r.ok()) {
            throw new InvalidMappingsException(r.errors());
        }
        return r.dialects();
    }

    /** Loads and validates the given files; never throws for a fault in them. */
    public static Result validate(List<MappingsSource.SourceFile> files) {
        return new DialectLoader().run(files);
    }

    private Result run(List<MappingsSource.SourceFile> files) {
        Map<String, Raw> raws = new LinkedHashMap<>();
        for (MappingsSource.SourceFile f : files) {
            file = f.displayName();
            if (raws.containsKey(f.dialectName())) {
                error(1, "dialect '" + f.dialectName() + "' is defined twice (.yaml and .yml)");
                continue;
            }
            Raw raw = readFile(f);
            if (raw != null) {
                raws.put(raw.name, raw);
            }
        }
        if (!raws.containsKey(DialectSet.DEFAULT)) {
            String dir = files.isEmpty() ? "mappings/dialects" : parentOf(files.get(0).displayName());
            errors.add(new MappingError(dir + "/default.yaml", 0, "the default dialect (default.yaml) is missing"));
        }
        checkSelectors(raws);
        List<Dialect> dialects = new ArrayList<>();
        for (Raw raw : raws.values()) {
            Dialect d = resolve(raw, raws);
            if (d != null) {
                dialects.add(d);
            }
        }
        if (!errors.isEmpty()) {
            List<MappingError> sorted = new ArrayList<>(errors);
            sorted.sort(java.util.Comparator.comparing(MappingError::file).thenComparingInt(MappingError::line));
            return new Result(null, List.copyOf(sorted));
        }
        return new Result(new DialectSet(dialects), List.of());
    }

    private static String parentOf(String display) {
        int slash = display.lastIndexOf('/');
        return slash < 0 ? "." : display.substring(0, slash);
    }

    // ---------------------------------------------------------------- reading one file

    private Raw readFile(MappingsSource.SourceFile f) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(f.text()));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            error(m == null ? 1 : m.getLine() + 1, "YAML syntax: " + e.getProblem());
            return null;
        } catch (YAMLException e) {
            error(1, "YAML syntax: " + e.getMessage());
            return null;
        }
        if (root == null) {
            error(1, "the file is empty; a dialect needs at least 'fields' or 'extends'");
            return null;
        }
        MappingNode map = mapping(root, "a dialect");
        if (map == null) {
            return null;
        }
        Raw raw = new Raw();
        raw.name = f.dialectName();
        raw.file = f.displayName();
        raw.root = root;
        for (NodeTuple t : entries(map, TOP_KEYS, "dialect")) {
            String key = key(t);
            Node v = t.getValueNode();
            switch (key) {
                case "description" -> raw.description = scalar(v, key);
                case "extends" -> {
                    raw.extendsName = scalar(v, key);
                    raw.extendsNode = v;
                }
                case "match" -> {
                    raw.matchNode = t.getKeyNode();
                    raw.selector = readSelector(v);
                }
                case "timeZone" -> {
                    String z = scalar(v, key);
                    if (z != null) {
                        try {
                            raw.zone = ZoneId.of(z);
                        } catch (DateTimeException e) {
                            error(v, "timeZone '" + z + "' is not a known time zone (e.g. Europe/London)");
                        }
                    }
                }
                case "rules" -> readRules(v, raw);
                case "valueMaps" -> readValueMaps(v, raw);
                case "fields" -> readFields(v, raw);
                default -> throw new IllegalStateException(key);
            }
        }
        return raw;
    }

    private DialectSelector readSelector(Node v) {
        MappingNode map = mapping(v, "match");
        if (map == null) {
            return new DialectSelector(Set.of(), Set.of(), null, null);
        }
        Set<String> apps = Set.of();
        Set<String> facs = Set.of();
        Pattern appP = null;
        Pattern facP = null;
        for (NodeTuple t : entries(map, MATCH_KEYS, "match")) {
            String key = key(t);
            Node n = t.getValueNode();
            switch (key) {
                case "sendingApplication" -> apps = new LinkedHashSet<>(scalarList(n, key));
                case "sendingFacility" -> facs = new LinkedHashSet<>(scalarList(n, key));
                case "sendingApplicationPattern" -> appP = regex(n, key);
                case "sendingFacilityPattern" -> facP = regex(n, key);
                default -> throw new IllegalStateException(key);
            }
        }
        DialectSelector s = new DialectSelector(apps, facs, appP, facP);
        if (s.isEmpty()) {
            error(v, "match needs at least one of " + String.join(", ", MATCH_KEYS));
        }
        return s;
    }

    private Pattern regex(Node n, String key) {
        String s = scalar(n, key);
        if (s == null) {
            return null;
        }
        try {
            return Pattern.compile(s);
        } catch (PatternSyntaxException e) {
            error(n, key + " is not a valid regular expression: " + e.getDescription());
            return null;
        }
    }

    private void readRules(Node v, Raw raw) {
        MappingNode map = mapping(v, "rules");
        if (map == null) {
            return;
        }
        for (NodeTuple t : entries(map, RULES_KEYS, "rules")) {
            String key = key(t);
            Node n = t.getValueNode();
            if (key.equals("requireVerified")) {
                raw.requireVerified = bool(n, key);
            } else {
                List<String> list = scalarList(n, key);
                if (key.equals("attendanceEvents")) {
                    for (String e : list) {
                        if (!e.matches("[A-Z][0-9A-Z]{2}")) {
                            error(n, "attendanceEvents: '" + e + "' is not a trigger event code like A04");
                        }
                    }
                }
                raw.ruleLists.put(key, list);
            }
        }
    }

    private void readValueMaps(Node v, Raw raw) {
        MappingNode map = mapping(v, "valueMaps");
        if (map == null) {
            return;
        }
        for (NodeTuple t : entries(map, null, "valueMaps")) {
            String name = key(t);
            MappingNode m = mapping(t.getValueNode(), "valueMaps." + name);
            if (m == null) {
                continue;
            }
            Map<String, String> entries = new LinkedHashMap<>();
            for (NodeTuple e : entries(m, null, "valueMaps." + name)) {
                String to = scalar(e.getValueNode(), "valueMaps." + name + "." + key(e));
                if (to != null) {
                    entries.put(key(e), to);
                    raw.valueMapLines.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(key(e),
                            new Where(raw.file, e.getKeyNode().getStartMark().getLine() + 1));
                }
            }
            raw.valueMaps.put(name, entries);
        }
    }

    private void readFields(Node v, Raw raw) {
        MappingNode map = mapping(v, "fields");
        if (map == null) {
            return;
        }
        List<String> known = new ArrayList<>();
        for (TargetField f : TargetField.values()) {
            known.add(f.key());
        }
        for (NodeTuple t : entries(map, known, "fields")) {
            raw.fields.put(TargetField.byKey(key(t)), t.getValueNode());
        }
    }

    // ---------------------------------------------------------------- selectors

    private void checkSelectors(Map<String, Raw> raws) {
        Map<String, String> claimed = new HashMap<>();
        for (Raw r : raws.values()) {
            DialectSelector s = r.selector;
            if (s.isEmpty()) {
                continue;
            }
            List<String> keys = new ArrayList<>();
            if (s.usesPattern()) {
                keys.add("pattern " + (s.applicationPattern() == null ? "*" : s.applicationPattern().pattern())
                        + " | " + (s.facilityPattern() == null ? "*" : s.facilityPattern().pattern())
                        + " | " + new java.util.TreeSet<>(s.applications()) + " | " + new java.util.TreeSet<>(s.facilities()));
            } else {
                for (String a : s.applications().isEmpty() ? Set.of("*") : s.applications()) {
                    for (String f : s.facilities().isEmpty() ? Set.of("*") : s.facilities()) {
                        keys.add("sendingApplication=" + a + ", sendingFacility=" + f);
                    }
                }
            }
            for (String k : new java.util.TreeSet<>(keys)) {
                String other = claimed.putIfAbsent(k, r.name);
                if (other != null) {
                    file = r.file;
                    error(r.matchNode, "duplicate dialect selector: " + k + " is already claimed by dialect '"
                            + other + "'");
                }
            }
        }
    }

    // ---------------------------------------------------------------- resolving extends

    private Dialect resolve(Raw raw, Map<String, Raw> raws) {
        List<Raw> chain = new ArrayList<>();
        Raw cur = raw;
        Set<String> seen = new LinkedHashSet<>();
        while (cur != null) {
            if (!seen.add(cur.name)) {
                file = raw.file;
                error(raw.extendsNode != null ? raw.extendsNode : raw.root,
                        "extends makes a loop: " + String.join(" -> ", seen) + " -> " + cur.name);
                return null;
            }
            chain.add(cur);
            String base = cur.extendsName != null ? cur.extendsName
                    : cur.name.equals(DialectSet.DEFAULT) ? null : DialectSet.DEFAULT;
            if (base == null || base.equals("none")) {
                break;
            }
            Raw next = raws.get(base);
            if (next == null) {
                if (cur.extendsName != null) {
                    file = cur.file;
                    error(cur.extendsNode, "extends names dialect '" + base + "', which does not exist");
                }
                return null;
            }
            cur = next;
        }
        ZoneId zone = null;
        Boolean requireVerified = null;
        Map<String, List<String>> lists = new HashMap<>();
        Map<String, Map<String, String>> valueMaps = new LinkedHashMap<>();
        Map<String, Map<String, Where>> valueMapLines = new LinkedHashMap<>();
        Map<TargetField, Raw> fieldOwner = new EnumMap<>(TargetField.class);
        for (int i = chain.size() - 1; i >= 0; i--) { // base first, so the child overrides
            Raw r = chain.get(i);
            if (r.zone != null) {
                zone = r.zone;
            }
            if (r.requireVerified != null) {
                requireVerified = r.requireVerified;
            }
            lists.putAll(r.ruleLists);
            for (Map.Entry<String, Map<String, String>> e : r.valueMaps.entrySet()) {
                valueMaps.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).putAll(e.getValue());
            }
            for (Map.Entry<String, Map<String, Where>> e : r.valueMapLines.entrySet()) {
                valueMapLines.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).putAll(e.getValue());
            }
            for (TargetField f : r.fields.keySet()) {
                fieldOwner.put(f, r);
            }
        }
        if (zone == null) {
            zone = ZoneId.of(DEFAULT_ZONE);
        }
        DialectRules rules = new DialectRules(
                Set.copyOf(lists.getOrDefault("messageTypes", DialectRules.DEFAULT_MESSAGE_TYPES)),
                Set.copyOf(lists.getOrDefault("attendanceEvents", DialectRules.DEFAULT_ATTENDANCE_EVENTS)),
                requireVerified == null || requireVerified,
                Set.copyOf(lists.getOrDefault("verifiedStatuses", DialectRules.DEFAULT_VERIFIED_STATUSES)));
        Functions.Context ctx = new Functions.Context(zone, valueMaps);
        Map<TargetField, List<FieldRule>> fields = new EnumMap<>(TargetField.class);
        for (Map.Entry<TargetField, Raw> e : fieldOwner.entrySet()) {
            Raw owner = e.getValue();
            file = owner.file;
            fields.put(e.getKey(), compileField(e.getKey(), owner.fields.get(e.getKey()), owner.name, ctx,
                    valueMapLines));
        }
        file = raw.file;
        for (TargetField required : List.of(TargetField.TRIGGER_EVENT, TargetField.EVENT_KIND)) {
            if (!fieldOwner.containsKey(required)) { // rules that failed to compile were reported already
                error(raw.root, "dialect '" + raw.name + "' has no rule for the required field " + required.key());
            }
        }
        return new Dialect(raw.name, raw.file, raw.description, raw.selector, zone, rules, fields);
    }

    // ---------------------------------------------------------------- rules and conditions

    private List<FieldRule> compileField(TargetField field, Node node, String dialect, Functions.Context ctx,
            Map<String, Map<String, Where>> valueMapLines) {
        List<Node> items = new ArrayList<>();
        if (node instanceof SequenceNode seq) {
            items.addAll(seq.getValue());
        } else {
            items.add(node); // a single rule may be written without the list
        }
        List<FieldRule> out = new ArrayList<>();
        int index = 0;
        for (Node item : items) {
            index++;
            FieldRule r = compileRule(field, item, dialect, ctx, index, valueMapLines);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private FieldRule compileRule(TargetField field, Node node, String dialect, Functions.Context ctx, int index,
            Map<String, Map<String, Where>> valueMapLines) {
        String where = "fields." + field.key();
        MappingNode map = mapping(node, "a rule of " + where);
        if (map == null) {
            return null;
        }
        String name = field.key() + "#" + index;
        FieldPath path = null;
        String constant = null;
        TargetField from = null;
        Condition whereCond = null;
        Condition whenCond = null;
        int component = 1;
        int sub = 1;
        Node componentNode = null;
        Node pathNode = null;
        List<MappingFunction> fns = new ArrayList<>();
        List<Boolean> onEmpty = new ArrayList<>();
        String lastFunction = null;
        Node lastFunctionNode = null;
        int sources = 0;
        boolean ok = true;
        for (NodeTuple t : entries(map, RULE_KEYS, "rule")) {
            String key = key(t);
            Node v = t.getValueNode();
            switch (key) {
                case "rule" -> {
                    String n = scalar(v, key);
                    if (n != null) {
                        name = n;
                    }
                }
                case "path" -> {
                    sources++;
                    pathNode = v;
                    String p = scalar(v, key);
                    if (p != null) {
                        try {
                            path = FieldPath.compile(p);
                        } catch (IllegalArgumentException e) {
                            error(v, e.getMessage());
                            ok = false;
                        }
                    }
                }
                case "value" -> {
                    sources++;
                    constant = scalar(v, key);
                }
                case "from" -> {
                    sources++;
                    String f = scalar(v, key);
                    from = f == null ? null : TargetField.byKey(f);
                    if (f != null && (from == null || from.ordinal() >= field.ordinal()
                            || from.type() != TargetField.Type.TEXT)) {
                        error(v, "from: '" + f + "' must name a text field mapped before " + field.key());
                        ok = false;
                    }
                }
                case "where" -> whereCond = condition(v, true);
                case "component" -> {
                    componentNode = v;
                    String c = scalar(v, key);
                    if (c != null && c.matches("\\d+(-\\d+)?")) {
                        String[] parts = c.split("-");
                        component = Integer.parseInt(parts[0]);
                        sub = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
                        if (component < 1 || sub < 1) {
                            error(v, "component is counted from 1");
                        }
                    } else if (c != null) {
                        error(v, "component must be a number like 1, or component-subcomponent like 4-1");
                    }
                }
                case "when" -> whenCond = condition(v, false);
                case "apply" -> {
                    List<Node> steps = v instanceof SequenceNode s ? s.getValue() : List.of(v);
                    for (Node step : steps) {
                        String[] fnName = new String[1];
                        MappingFunction fn = function(step, ctx, fnName);
                        if (fn != null) {
                            fns.add(fn);
                            onEmpty.add(Functions.runsOnEmpty(fnName[0]));
                            lastFunction = fnName[0];
                            lastFunctionNode = step;
                        } else {
                            ok = false;
                        }
                    }
                }
                default -> throw new IllegalStateException(key);
            }
        }
        if (sources != 1) {
            error(node, "a rule of " + where + " needs exactly one of path, value, from");
            return null;
        }
        if (whereCond != null && pathNode == null) {
            error(node, "where: needs a path naming a repeating field, e.g. path: PID-3");
            ok = false;
        }
        if (path != null && path.componentGiven() && (whereCond != null || field.type() == TargetField.Type.IDENTIFIERS)) {
            error(pathNode, "with where: or for an identifier list, path names the field (e.g. PID-3) "
                    + "and component: picks the component");
            ok = false;
        }
        if (componentNode != null && whereCond == null && field.type() != TargetField.Type.IDENTIFIERS) {
            error(componentNode, "component: is only used with where: or for an identifier list; "
                    + "otherwise write it in the path (PID-3-1)");
            ok = false;
        }
        if (field.type() == TargetField.Type.IDENTIFIERS && pathNode == null) {
            error(node, where + " is a list of identifiers: its rules need a path to a CX field, e.g. PID-3");
            ok = false;
        }
        switch (ok ? field.type() : TargetField.Type.TEXT) {
            case DATE -> {
                if (!"date".equals(lastFunction)) {
                    error(lastFunctionNode != null ? lastFunctionNode : node,
                            where + " holds a date: the rule's apply: must end with the date function");
                    ok = false;
                }
            }
            case DATETIME -> {
                if (!"datetime".equals(lastFunction)) {
                    error(lastFunctionNode != null ? lastFunctionNode : node,
                            where + " holds a date and time: the rule's apply: must end with the datetime function");
                    ok = false;
                }
            }
            case EVENT_KIND -> ok &= checkEventKind(node, constant, lastFunction, lastFunctionNode, ctx, valueMapLines);
            default -> {
            }
        }
        if (!ok) {
            return null;
        }
        return new FieldRule(name, dialect, path, constant, from, whereCond, component, sub, whenCond, fns, onEmpty);
    }

    private boolean checkEventKind(Node node, String constant, String lastFunction, Node fnNode, Functions.Context ctx,
            Map<String, Map<String, Where>> valueMapLines) {
        if (constant != null && lastFunction == null) {
            if (!isEventKind(constant)) {
                error(node, "eventKind value '" + constant + "' is not one of " + eventKinds());
                return false;
            }
            return true;
        }
        if ("valueMap".equals(lastFunction) && fnNode instanceof MappingNode m) {
            String mapName = ((ScalarNode) m.getValue().get(0).getValueNode()).getValue();
            Map<String, String> vm = ctx.valueMaps().get(mapName);
            boolean ok = true;
            for (Map.Entry<String, String> e : vm.entrySet()) {
                if (!isEventKind(e.getValue())) {
                    // Point at the entry, in whichever file of the extends chain wrote it.
                    Where at = valueMapLines.getOrDefault(mapName, Map.of()).get(e.getKey());
                    errors.add(new MappingError(at != null ? at.file() : file,
                            at != null ? at.line() : fnNode.getStartMark().getLine() + 1,
                            "valueMaps." + mapName + " maps '" + e.getKey() + "' to '" + e.getValue()
                                    + "', which is not one of " + eventKinds()));
                    ok = false;
                }
            }
            return ok;
        }
        error(fnNode != null ? fnNode : node, "eventKind rules must end with a valueMap (or be a value:) giving one of "
                + eventKinds());
        return false;
    }

    private static boolean isEventKind(String s) {
        for (EventKind k : EventKind.values()) {
            if (k.code().equals(s)) {
                return true;
            }
        }
        return false;
    }

    private static String eventKinds() {
        List<String> l = new ArrayList<>();
        for (EventKind k : EventKind.values()) {
            l.add(k.code());
        }
        return String.join(", ", l);
    }

    private MappingFunction function(Node step, Functions.Context ctx, String[] nameOut) {
        String name;
        Node argNode = null;
        if (step instanceof ScalarNode s) {
            name = s.getValue();
        } else if (step instanceof MappingNode m && m.getValue().size() == 1) {
            name = key(m.getValue().get(0));
            argNode = m.getValue().get(0).getValueNode();
        } else {
            error(step, "each apply: step is a function name, or one 'name: argument' pair");
            return null;
        }
        Functions.Definition def = Functions.find(name);
        if (def == null) {
            error(step, "unknown function '" + name + "' (known: " + String.join(", ", Functions.all().keySet()) + ")");
            return null;
        }
        nameOut[0] = name;
        Object arg;
        switch (def.arg()) {
            case NONE -> {
                if (argNode != null) {
                    error(step, "function " + name + " takes no argument: write it as '- " + name + "'");
                    return null;
                }
                arg = null;
            }
            case SCALAR -> {
                if (!(argNode instanceof ScalarNode sn)) {
                    error(step, "function " + name + " needs one argument: " + def.usage());
                    return null;
                }
                arg = sn.getValue();
            }
            case LIST, OPTIONAL_LIST -> {
                if (argNode == null) {
                    if (def.arg() == Functions.Arg.LIST) {
                        error(step, "function " + name + " needs an argument: " + def.usage());
                        return null;
                    }
                    arg = null;
                } else {
                    arg = scalarList(argNode, name);
                }
            }
            case MAP -> {
                if (!(argNode instanceof MappingNode mn)) {
                    error(step, "function " + name + " needs a map argument: " + def.usage());
                    return null;
                }
                Map<String, String> m = new LinkedHashMap<>();
                for (NodeTuple t : mn.getValue()) {
                    m.put(key(t), scalar(t.getValueNode(), name + "." + key(t)));
                }
                arg = m;
            }
            default -> throw new IllegalStateException();
        }
        try {
            return def.factory().create(arg, ctx);
        } catch (IllegalArgumentException | ClassCastException e) {
            error(step, name + ": " + e.getMessage());
            return null;
        }
    }

    private Condition condition(Node node, boolean inWhere) {
        if (node instanceof SequenceNode seq) {
            List<Condition> all = new ArrayList<>();
            for (Node n : seq.getValue()) {
                Condition c = condition(n, inWhere);
                if (c != null) {
                    all.add(c);
                }
            }
            return all.size() == seq.getValue().size() ? new Condition.All(all) : null;
        }
        MappingNode map = mapping(node, "a condition");
        if (map == null) {
            return null;
        }
        List<NodeTuple> es = entries(map, CONDITION_KEYS, "condition");
        Map<String, Node> keys = new LinkedHashMap<>();
        for (NodeTuple t : es) {
            keys.put(key(t), t.getValueNode());
        }
        for (String comb : List.of("any", "all", "not")) {
            if (keys.containsKey(comb)) {
                if (keys.size() != 1) {
                    error(node, comb + ": stands alone in its condition; put the other tests inside it");
                    return null;
                }
                Node inner = keys.get(comb);
                if (comb.equals("not")) {
                    Condition c = condition(inner, inWhere);
                    return c == null ? null : new Condition.Not(c);
                }
                if (!(inner instanceof SequenceNode seq)) {
                    error(inner, comb + ": needs a list of conditions");
                    return null;
                }
                List<Condition> list = new ArrayList<>();
                for (Node n : seq.getValue()) {
                    Condition c = condition(n, inWhere);
                    if (c == null) {
                        return null;
                    }
                    list.add(c);
                }
                return comb.equals("any") ? new Condition.Any(list) : new Condition.All(list);
            }
        }
        Condition.Subject subject;
        if (keys.containsKey("path") && keys.containsKey("component")) {
            error(node, "a condition tests either a path or a component, not both");
            return null;
        } else if (keys.containsKey("path")) {
            String p = scalar(keys.get("path"), "path");
            if (p == null) {
                return null;
            }
            try {
                subject = new Condition.PathSubject(FieldPath.compile(p));
            } catch (IllegalArgumentException e) {
                error(keys.get("path"), e.getMessage());
                return null;
            }
        } else if (keys.containsKey("component")) {
            if (!inWhere) {
                error(keys.get("component"), "component: in a condition only works inside where:");
                return null;
            }
            String c = scalar(keys.get("component"), "component");
            if (c == null || !c.matches("[1-9]\\d*(-[1-9]\\d*)?")) {
                error(keys.get("component"), "component must be a number like 4, or 4-1");
                return null;
            }
            String[] parts = c.split("-");
            subject = new Condition.ComponentSubject(Integer.parseInt(parts[0]),
                    parts.length > 1 ? Integer.parseInt(parts[1]) : 1);
        } else {
            if (inWhere) {
                error(node, "a where: condition needs component: (or path:)");
                return null;
            }
            subject = new Condition.ValueSubject();
        }
        List<String> tests = new ArrayList<>(keys.keySet());
        tests.remove("path");
        tests.remove("component");
        if (tests.size() != 1) {
            error(node, "a condition needs exactly one test of equals, matches, present, validNhsNumber");
            return null;
        }
        String test = tests.get(0);
        Node tn = keys.get(test);
        switch (test) {
            case "equals" -> {
                return new Condition.Equals(subject, Set.copyOf(scalarList(tn, test)));
            }
            case "matches" -> {
                Pattern p = regex(tn, test);
                return p == null ? null : new Condition.Matches(subject, p);
            }
            case "present" -> {
                Boolean b = bool(tn, test);
                return b == null ? null : new Condition.Present(subject, b);
            }
            case "validNhsNumber" -> {
                Boolean b = bool(tn, test);
                return b == null ? null : new Condition.ValidNhsNumber(subject, b);
            }
            default -> throw new IllegalStateException(test);
        }
    }

    // ---------------------------------------------------------------- node helpers

    private void error(Node node, String message) {
        error(node == null ? 1 : node.getStartMark().getLine() + 1, message);
    }

    private void error(int line, String message) {
        errors.add(new MappingError(file, line, message));
    }

    private MappingNode mapping(Node n, String what) {
        if (n instanceof MappingNode m) {
            return m;
        }
        error(n, what + " must be a map of key: value");
        return null;
    }

    private static String key(NodeTuple t) {
        return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
    }

    /** The entries of a map, reporting unknown (when {@code allowed} is given) and duplicate keys. */
    private List<NodeTuple> entries(MappingNode map, List<String> allowed, String where) {
        List<NodeTuple> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode)) {
                error(t.getKeyNode(), "keys in " + where + " must be plain text");
                continue;
            }
            String k = key(t);
            if (!seen.add(k)) {
                error(t.getKeyNode(), "duplicate key '" + k + "' in " + where);
                continue;
            }
            if (allowed != null && !allowed.contains(k)) {
                error(t.getKeyNode(), "unknown key '" + k + "' in " + where + " (expected one of: "
                        + String.join(", ", allowed) + ")");
                continue;
            }
            out.add(t);
        }
        return out;
    }

    private String scalar(Node n, String key) {
        if (n instanceof ScalarNode s) {
            return s.getValue();
        }
        error(n, key + " must be a single value");
        return null;
    }

    private List<String> scalarList(Node n, String key) {
        List<String> out = new ArrayList<>();
        if (n instanceof ScalarNode s) {
            out.add(s.getValue());
        } else if (n instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                String v = scalar(item, key + " item");
                if (v != null) {
                    out.add(v);
                }
            }
        } else {
            error(n, key + " must be a value or a list of values");
        }
        return out;
    }

    private Boolean bool(Node n, String key) {
        String s = scalar(n, key);
        if (s == null) {
            return null;
        }
        switch (s.toLowerCase(Locale.ROOT)) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                error(n, key + " must be true or false, not '" + s + "'");
                return null;
        }
    }
}
