import java.util.Map;

/** `GET /price?sku&qty`: the unit price of a SKU and the total, 10 % off from two items. */
public final class Pricing {
  private static final Map<String, Double> UNIT_PRICES = Map.of("sku-42", 19.99, "sku-7", 4.50);

  public static void main(String[] args) throws Exception {
    Service.serve("pricing", 8081, "/price", query -> {
      String sku = query.getOrDefault("sku", "");
      int qty = Integer.parseInt(query.getOrDefault("qty", "1"));
      double unit = UNIT_PRICES.getOrDefault(sku, 9.99);
      double total = Math.round(unit * qty * (qty >= 2 ? 0.9 : 1) * 100) / 100.0;
      return new Service.Reply(200, Service.json("sku", sku, "unit", String.valueOf(unit), "total", String.valueOf(total)));
    });
  }
}
