// Editor checks for group files: VS Code's remark extension (unifiedjs.vscode-remark) and
// `npm run check-groups` validate the front matter of groups/*.md against the JSON Schema that
// `civic schema --write` generates from the loader. `civic check` stays the authority.
import remarkFrontmatter from "remark-frontmatter";
import remarkLintFrontmatterSchema from "remark-lint-frontmatter-schema";

export default {
  plugins: [
    remarkFrontmatter,
    [remarkLintFrontmatterSchema, { schemas: { "./groups/group.schema.json": ["./groups/*.md"] } }],
  ],
};
