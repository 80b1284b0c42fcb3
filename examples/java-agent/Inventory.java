import java.util.HashMap;
import java.util.Map;

/**
 * `GET /reserve?sku&qty`: takes items out of stock. 409 when too few are left; a SKU without a stock record
 * fails with 500, the demo's error path (the agent marks that server span as an error).
 */
public final class Inventory {
  private static final Map<String, Integer> STOCK = new HashMap<>(Map.of("sku-42", 100_000, "sku-7", 3));

  public static void main(String[] args) throws Exception {
    Service.serve("inventory", 8082, "/reserve", query -> {
      String sku = query.getOrDefault("sku", "");
      int qty = Integer.parseInt(query.getOrDefault("qty", "1"));
      synchronized (STOCK) {
        Integer have = STOCK.get(sku);
        if (have == null) throw new IllegalStateException("no stock record for " + sku);
        if (have < qty) return new Service.Reply(409, Service.json("error", "only " + have + " left"));
        STOCK.put(sku, have - qty);
        return new Service.Reply(200, Service.json("sku", sku, "left", String.valueOf(have - qty)));
      }
    });
  }
}
