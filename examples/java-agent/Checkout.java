import java.net.http.HttpResponse;

/**
 * `GET /checkout?sku&qty`: asks pricing for the total, inventory for the items and shipping (a Node service)
 * for a delivery, one after the other. A downstream failure becomes 502 (409 passes through), so one
 * request yields one trace across every service it reached.
 */
public final class Checkout {
  public static void main(String[] args) throws Exception {
    String pricing = Service.url("PRICING_URL", 8081);
    String inventory = Service.url("INVENTORY_URL", 8082);
    String shipping = Service.url("SHIPPING_URL", 8083);
    Service.serve("checkout", 8080, "/checkout", query -> {
      String sku = query.getOrDefault("sku", "sku-42");
      String qty = query.getOrDefault("qty", "1");
      HttpResponse<String> price = Service.get(pricing, "/price", "sku", sku, "qty", qty);
      if (price.statusCode() != 200) return failed("pricing", price);
      HttpResponse<String> stock = Service.get(inventory, "/reserve", "sku", sku, "qty", qty);
      if (stock.statusCode() != 200) return failed("inventory", stock);
      HttpResponse<String> delivery = Service.get(shipping, "/ship", "sku", sku, "qty", qty);
      if (delivery.statusCode() != 200) return failed("shipping", delivery);
      return new Service.Reply(200, "{\"price\":" + price.body().trim() + ",\"stock\":" + stock.body().trim()
          + ",\"delivery\":" + delivery.body().trim() + "}");
    });
  }

  private static Service.Reply failed(String service, HttpResponse<String> res) {
    int status = res.statusCode() == 409 ? 409 : 502;
    return new Service.Reply(status, Service.json("error", service + " answered " + res.statusCode(), "detail", res.body().trim()));
  }
}
