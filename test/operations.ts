import { graphql } from "./gql/index.js";

/** The operations tests send, typed by `npm run generate` (GraphQL Code Generator). */

export const SignUp = graphql(`
  mutation SignUp($email: String!, $password: String!) {
    signUp(email: $email, password: $password) {
      token
      user {
        id
        email
        createdAt
      }
    }
  }
`);

export const LogIn = graphql(`
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) {
      token
      user {
        id
        email
      }
    }
  }
`);

export const LogOut = graphql(`
  mutation LogOut {
    logOut
  }
`);

export const Me = graphql(`
  query Me {
    me {
      id
      email
    }
  }
`);
