// A response handler kept in its own file: `> ./scripts/remember-item.js` under a request.
// It runs in the same sandbox as inline scripts, with the same API.

client.test("created with an id", () => {
  client.assert(Number.isInteger(response.body.id), "the item has no numeric id");
  client.assert(response.headers.valueOf("Location") === "/items/" + response.body.id, "Location does not point at the item");
});

client.global.set("item_id", String(response.body.id));
